using System.Text.Json.Nodes;

namespace LazyMesh.Install;

/// <summary>Where an object of a kind lives in the REST API: group, version, plural and scope.</summary>
public sealed record ApiResource(string Group, string Version, string Plural, bool Namespaced)
{
    private static readonly Dictionary<string, ApiResource> ByKind = new(StringComparer.Ordinal)
    {
        ["v1/Namespace"] = new("", "v1", "namespaces", false),
        ["v1/ServiceAccount"] = new("", "v1", "serviceaccounts", true),
        ["v1/Service"] = new("", "v1", "services", true),
        ["v1/ConfigMap"] = new("", "v1", "configmaps", true),
        ["apiextensions.k8s.io/v1/CustomResourceDefinition"] = new("apiextensions.k8s.io", "v1", "customresourcedefinitions", false),
        ["rbac.authorization.k8s.io/v1/ClusterRole"] = new("rbac.authorization.k8s.io", "v1", "clusterroles", false),
        ["rbac.authorization.k8s.io/v1/ClusterRoleBinding"] = new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", false),
        ["rbac.authorization.k8s.io/v1/Role"] = new("rbac.authorization.k8s.io", "v1", "roles", true),
        ["rbac.authorization.k8s.io/v1/RoleBinding"] = new("rbac.authorization.k8s.io", "v1", "rolebindings", true),
        ["apps/v1/Deployment"] = new("apps", "v1", "deployments", true),
        ["policy/v1/PodDisruptionBudget"] = new("policy", "v1", "poddisruptionbudgets", true),
        ["autoscaling/v2/HorizontalPodAutoscaler"] = new("autoscaling", "v2", "horizontalpodautoscalers", true),
        ["telemetry.istio.io/v1/Telemetry"] = new("telemetry.istio.io", "v1", "telemetries", true),
    };

    /// <summary>The resource of a rendered object (by its apiVersion and kind).</summary>
    public static ApiResource Of(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var key = $"{(string?)obj["apiVersion"]}/{(string?)obj["kind"]}";
        return ByKind.TryGetValue(key, out var resource) ? resource : throw new ArgumentException($"no REST mapping for {key}", nameof(obj));
    }

    /// <summary><c>Kind ns/name</c> or <c>Kind name</c>, for messages.</summary>
    public static string Describe(JsonObject obj)
    {
        var ns = (string?)obj["metadata"]?["namespace"];
        var name = (string?)obj["metadata"]?["name"];
        return ns is null ? $"{(string?)obj["kind"]} {name}" : $"{(string?)obj["kind"]} {ns}/{name}";
    }
}
