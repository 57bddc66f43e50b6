using System.Text.Json.Nodes;
using LazyMesh.Rendering;

namespace LazyMesh.Inventory;

/// <summary>
/// The name rules the Kubernetes API server enforces, checked when an object is loaded, so that a name that could
/// never exist in a cluster (namespace <c>Shop</c>, <c>../../x</c>, <c>a/b</c>) cannot reach a file path or a
/// generated object (issue 11: <c>a/b</c> put a Sidecar into namespace <c>a</c>). From kubernetes/apimachinery
/// <c>pkg/api/validation/generic.go</c> and <c>objectmeta.go</c> (<c>ValidateObjectMeta</c>: a namespace is a
/// DNS-1123 label, <c>ValidateNamespaceName</c>; most names are DNS-1123 subdomains, <c>NameIsDNSSubdomain</c>) and
/// <c>pkg/util/validation/validation.go</c> (<c>IsDNS1123Label</c>, <c>IsDNS1123Subdomain</c>); an owner reference
/// needs a kind and a name (<c>validateOwnerReference</c>).
/// </summary>
internal static class InventoryNames
{
    /// <exception cref="InventoryException">A name, namespace or owner reference Kubernetes would refuse.</exception>
    public static void Check(string kind, string @namespace, string name, JsonObject metadata, SourceLocation at)
    {
        if (kind == "Namespace" ? !KubernetesNames.IsDns1123Label(name) : !KubernetesNames.IsDns1123Subdomain(name))
        {
            var rule = kind == "Namespace" ? "DNS-1123 label" : "DNS-1123 subdomain";
            throw new InventoryException(at.FilePath, at.Line, $"{kind} name \"{Shown(name)}\" is not a valid {rule} (lower-case letters, digits, '-'{(kind == "Namespace" ? string.Empty : ", '.'")})");
        }

        if (@namespace.Length > 0 && !KubernetesNames.IsDns1123Label(@namespace))
        {
            throw new InventoryException(at.FilePath, at.Line, $"{kind} {Shown(name)}: namespace \"{Shown(@namespace)}\" is not a valid DNS-1123 label (lower-case letters, digits, '-')");
        }

        switch (metadata["ownerReferences"])
        {
            case null:
                return;
            case JsonArray owners:
                foreach (var owner in owners)
                {
                    var ownerKind = Text(owner, "kind");
                    var ownerName = Text(owner, "name");
                    if (string.IsNullOrEmpty(ownerKind) || string.IsNullOrEmpty(ownerName) || !KubernetesNames.IsDns1123Subdomain(ownerName))
                    {
                        throw new InventoryException(at.FilePath, at.Line, $"{kind} {@namespace}/{name}: an ownerReference needs a kind and a DNS-1123 name, found kind \"{Shown(ownerKind)}\" name \"{Shown(ownerName)}\"");
                    }
                }

                return;
            default:
                throw new InventoryException(at.FilePath, at.Line, $"{kind} {@namespace}/{name}: metadata.ownerReferences must be a list");
        }
    }

    private static string? Text(JsonNode? node, string property) =>
        node is JsonObject obj && obj[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>At most 100 characters of a name, control characters escaped, for a one-line warning.</summary>
    private static string Shown(string? value)
    {
        if (value is null)
        {
            return string.Empty;
        }

        var cut = value.Length > 100 ? value[..100] + "..." : value;
        return string.Concat(cut.Select(static c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}
