using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using LazyMesh.Inventory;

namespace LazyMesh.Mesh;

/// <summary>
/// Reads Istio's MeshConfig YAML (the <c>mesh</c> key of the <c>istio</c> ConfigMap, or a file holding either that
/// YAML or the whole ConfigMap) into a <see cref="MeshConfig"/>. Fields LazyMesh does not use are ignored; a field it
/// uses with the wrong shape is an error naming the field.
/// </summary>
public static class MeshConfigParser
{
    /// <summary>The ConfigMap istiod reads its MeshConfig from (<c>istio</c>; <c>istio-&lt;revision&gt;</c> for revisions).</summary>
    public const string ConfigMapName = "istio";

    /// <summary>The ConfigMap key holding the MeshConfig YAML.</summary>
    public const string ConfigMapKey = "mesh";

    /// <summary>Parses MeshConfig YAML (or JSON); <paramref name="source"/> names it in errors and in <see cref="MeshConfig.Source"/>.</summary>
    /// <exception cref="InventoryException">The text is not YAML, not a mapping, or a field has the wrong type.</exception>
    public static MeshConfig Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrEmpty(source);
        JsonNode? root = null;
        using (var reader = new StringReader(text))
        {
            foreach (var document in YamlDocumentReader.Read(reader, source))
            {
                if (document.Root is not null)
                {
                    if (root is not null)
                    {
                        throw new InventoryException(source, document.Line, "MeshConfig must be a single YAML document");
                    }

                    root = document.Root;
                }
            }
        }

        if (root is null)
        {
            return MeshConfig.Default with { Source = source };
        }

        if (root is not JsonObject mesh)
        {
            throw new InventoryException(source, 0, "MeshConfig must be a mapping");
        }

        // A whole ConfigMap (kubectl get cm istio -o yaml) is accepted too: its data.mesh is the MeshConfig.
        if (mesh["kind"]?.GetValueKind() == System.Text.Json.JsonValueKind.String && (string?)mesh["kind"] == "ConfigMap")
        {
            var inner = (mesh["data"] as JsonObject)?[ConfigMapKey];
            return inner is null
                ? MeshConfig.Default with { Source = source }
                : Parse(String(inner, "data.mesh", source) ?? string.Empty, source);
        }

        return FromObject(mesh, source);
    }

    /// <summary>Reads a MeshConfig file (YAML MeshConfig, or a ConfigMap holding one).</summary>
    /// <exception cref="InventoryException">The file is missing, unreadable or invalid.</exception>
    public static MeshConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InventoryException(path, 0, $"cannot read the MeshConfig file: {ex.Message}", ex);
        }

        return Parse(text, path);
    }

    /// <summary>
    /// The MeshConfig among <paramref name="configMaps"/>: <c>istio</c> in <paramref name="istiodNamespace"/> first,
    /// else the only <c>istio</c> ConfigMap of any namespace; null when there is none (Istio's defaults apply).
    /// </summary>
    public static MeshConfig? FromConfigMaps(IEnumerable<V1ConfigMap> configMaps, string istiodNamespace = MeshConfig.DefaultRootNamespace)
    {
        ArgumentNullException.ThrowIfNull(configMaps);
        var named = configMaps.Where(static c => c.Metadata?.Name == ConfigMapName).ToList();
        var chosen = named.FirstOrDefault(c => c.Metadata.NamespaceProperty == istiodNamespace) ?? (named.Count == 1 ? named[0] : null);
        if (chosen is null)
        {
            return null;
        }

        var source = $"ConfigMap {chosen.Metadata.NamespaceProperty}/{chosen.Metadata.Name}";
        return chosen.Data is { } data && data.TryGetValue(ConfigMapKey, out var text)
            ? Parse(text ?? string.Empty, source)
            : MeshConfig.Default with { Source = source };
    }

    private static MeshConfig FromObject(JsonObject mesh, string source)
    {
        var config = MeshConfig.Default with { Source = source };
        if (String(mesh["rootNamespace"], "rootNamespace", source) is { Length: > 0 } root)
        {
            config = config with { RootNamespace = root };
        }

        if (mesh["outboundTrafficPolicy"] is { } policy)
        {
            if (policy is not JsonObject policyObject)
            {
                throw new InventoryException(source, 0, "outboundTrafficPolicy must be a mapping");
            }

            var mode = String(policyObject["mode"], "outboundTrafficPolicy.mode", source);
            config = config with
            {
                OutboundTrafficPolicy = mode switch
                {
                    null or "ALLOW_ANY" => OutboundTrafficMode.AllowAny,
                    "REGISTRY_ONLY" => OutboundTrafficMode.RegistryOnly,
                    _ => throw new InventoryException(source, 0, $"outboundTrafficPolicy.mode \"{mode}\" is not ALLOW_ANY or REGISTRY_ONLY"),
                },
            };
        }

        config = config with
        {
            DefaultServiceExportTo = StringList(mesh, "defaultServiceExportTo", source) ?? config.DefaultServiceExportTo,
            DefaultVirtualServiceExportTo = StringList(mesh, "defaultVirtualServiceExportTo", source) ?? config.DefaultVirtualServiceExportTo,
            DefaultDestinationRuleExportTo = StringList(mesh, "defaultDestinationRuleExportTo", source) ?? config.DefaultDestinationRuleExportTo,
            ExtensionProviders = Providers(mesh["extensionProviders"], source),
        };
        return config;
    }

    private static List<ExtensionProviderService> Providers(JsonNode? node, string source)
    {
        var result = new List<ExtensionProviderService>();
        if (node is null)
        {
            return result;
        }

        if (node is not JsonArray providers)
        {
            throw new InventoryException(source, 0, "extensionProviders must be a list");
        }

        for (var i = 0; i < providers.Count; i++)
        {
            if (providers[i] is not JsonObject provider)
            {
                throw new InventoryException(source, 0, $"extensionProviders[{i}] must be a mapping");
            }

            var name = String(provider["name"], $"extensionProviders[{i}].name", source) ?? $"#{i}";
            foreach (var (kind, value) in provider)
            {
                // Every provider kind that talks to a service (zipkin, opentelemetry, envoyExtAuthzGrpc, envoyHttpAls, ...) has service + port.
                if (kind == "name" || value is not JsonObject settings || settings["service"] is null)
                {
                    continue;
                }

                var service = String(settings["service"], $"extensionProviders[{i}].{kind}.service", source);
                if (string.IsNullOrEmpty(service))
                {
                    continue;
                }

                result.Add(new ExtensionProviderService(name, kind, service, Port(settings["port"], $"extensionProviders[{i}].{kind}.port", source)));
            }
        }

        return result;
    }

    private static List<string>? StringList(JsonObject mesh, string field, string source)
    {
        if (mesh[field] is not { } node)
        {
            return null;
        }

        if (node is not JsonArray array)
        {
            throw new InventoryException(source, 0, $"{field} must be a list of strings");
        }

        return [.. array.Select((item, i) => String(item, $"{field}[{i}]", source) ?? throw new InventoryException(source, 0, $"{field}[{i}] must be a string"))];
    }

    private static string? String(JsonNode? node, string field, string source) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        _ => throw new InventoryException(source, 0, $"{field} must be a string"),
    };

    private static int? Port(JsonNode? node, string field, string source)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonValue value when value.TryGetValue<long>(out var n) && n is >= 1 and <= 65535:
                return (int)n;
            case JsonValue value when value.TryGetValue<int>(out var n) && n is >= 1 and <= 65535:
                return n;
            case JsonValue value when value.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 65535:
                return n;
            default:
                throw new InventoryException(source, 0, $"{field} must be a port number (1-65535)");
        }
    }
}
