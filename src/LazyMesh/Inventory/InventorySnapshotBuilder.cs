using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using LazyMesh.Istio;

namespace LazyMesh.Inventory;

/// <summary>
/// Collects objects from parsed documents: expands Lists, checks the fields LazyMesh relies on, defaults the
/// namespace, rejects duplicates (naming both locations) and deserializes into the client's model types.
/// </summary>
internal sealed class InventorySnapshotBuilder
{
    private const string IstioNetworking = "networking.istio.io";

    private readonly List<V1Namespace> namespaces = [];
    private readonly List<V1Service> services = [];
    private readonly List<V1Pod> pods = [];
    private readonly List<V1ReplicaSet> replicaSets = [];
    private readonly List<V1Deployment> deployments = [];
    private readonly List<V1StatefulSet> statefulSets = [];
    private readonly List<V1DaemonSet> daemonSets = [];
    private readonly List<V1Job> jobs = [];
    private readonly List<V1CronJob> cronJobs = [];
    private readonly List<ServiceEntryResource> serviceEntries = [];
    private readonly List<SidecarResource> sidecars = [];
    private readonly List<VirtualServiceResource> virtualServices = [];
    private readonly List<DestinationRuleResource> destinationRules = [];
    private readonly List<GatewayResource> gateways = [];
    private readonly List<GatewayApiRouteResource> gatewayApiRoutes = [];
    private readonly List<V1ConfigMap> configMaps = [];
    private readonly List<AuthorizationPolicyResource> authorizationPolicies = [];
    private readonly Dictionary<string, int> skipped = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SourceLocation> seen = new(StringComparer.Ordinal);

    public void AddDocument(SourceDocument document, string filePath)
    {
        switch (document.Root)
        {
            case null:
                return;
            case JsonArray array:
                foreach (var item in array)
                {
                    AddObject(item, new SourceLocation(filePath, item is null ? document.Line : document.LineOf(item)), null, null);
                }

                return;
            default:
                AddObject(document.Root, new SourceLocation(filePath, document.Line), null, null, document);
                return;
        }
    }

    public InventorySnapshot Build() => new()
    {
        Namespaces = namespaces.ToArray(),
        Services = services.ToArray(),
        Pods = pods.ToArray(),
        ReplicaSets = replicaSets.ToArray(),
        Deployments = deployments.ToArray(),
        StatefulSets = statefulSets.ToArray(),
        DaemonSets = daemonSets.ToArray(),
        Jobs = jobs.ToArray(),
        CronJobs = cronJobs.ToArray(),
        ServiceEntries = serviceEntries.ToArray(),
        Sidecars = sidecars.ToArray(),
        VirtualServices = virtualServices.ToArray(),
        DestinationRules = destinationRules.ToArray(),
        Gateways = gateways.ToArray(),
        GatewayApiRoutes = gatewayApiRoutes.ToArray(),
        ConfigMaps = configMaps.ToArray(),
        AuthorizationPolicies = authorizationPolicies.ToArray(),
        SkippedKinds = new Dictionary<string, int>(skipped, StringComparer.Ordinal),
    };

    private void AddObject(JsonNode? node, SourceLocation at, string? defaultKind, string? defaultApiVersion, SourceDocument? document = null)
    {
        if (node is not JsonObject obj)
        {
            throw Error(at, $"expected a Kubernetes object, found {Describe(node)}");
        }

        var kind = GetString(obj, "kind", at) ?? defaultKind;
        var apiVersion = GetString(obj, "apiVersion", at) ?? defaultApiVersion;
        if (string.IsNullOrEmpty(kind))
        {
            throw Error(at, "object has no kind");
        }

        if (string.IsNullOrEmpty(apiVersion))
        {
            throw Error(at, $"{kind} has no apiVersion");
        }

        if (kind == "List" || (kind.EndsWith("List", StringComparison.Ordinal) && obj.ContainsKey("items")))
        {
            if (obj["items"] is not JsonArray items)
            {
                throw Error(at, obj["items"] is null ? $"{kind} has no items" : $"{kind}.items must be a list");
            }

            // A typed list from the API (PodList) omits each item's kind and apiVersion; kubectl's List keeps them.
            var itemKind = kind == "List" ? null : kind[..^4];
            foreach (var item in items)
            {
                var line = item is not null && document is { } doc ? doc.LineOf(item) : at.Line;
                AddObject(item, at with { Line = line }, itemKind, itemKind is null ? null : apiVersion);
            }

            return;
        }

        obj["kind"] = kind;
        obj["apiVersion"] = apiVersion;
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        var version = apiVersion[(slash + 1)..];
        switch (kind)
        {
            case "Namespace" when group.Length == 0:
                Add(namespaces, obj, at, kind, namespaced: false);
                break;
            case "Service" when group.Length == 0:
                Add(services, obj, at, kind, namespaced: true);
                break;
            case "Pod" when group.Length == 0:
                Add(pods, obj, at, kind, namespaced: true);
                break;
            case "ReplicaSet" when group == "apps":
                Add(replicaSets, obj, at, kind, namespaced: true);
                break;
            case "Deployment" when group == "apps":
                Add(deployments, obj, at, kind, namespaced: true);
                break;
            case "StatefulSet" when group == "apps":
                Add(statefulSets, obj, at, kind, namespaced: true);
                break;
            case "DaemonSet" when group == "apps":
                Add(daemonSets, obj, at, kind, namespaced: true);
                break;
            case "Job" when group == "batch":
                Add(jobs, obj, at, kind, namespaced: true);
                break;
            case "CronJob" when group == "batch":
                Add(cronJobs, obj, at, kind, namespaced: true);
                break;
            case ServiceEntryResource.ResourceKind when group == IstioNetworking && IsIstioVersion(version):
                Add(serviceEntries, obj, at, kind, namespaced: true);
                break;
            case SidecarResource.ResourceKind when group == IstioNetworking && IsIstioVersion(version):
                Add(sidecars, obj, at, kind, namespaced: true);
                break;
            case VirtualServiceResource.ResourceKind when group == IstioNetworking && IsIstioVersion(version):
                Add(virtualServices, obj, at, kind, namespaced: true);
                break;
            case DestinationRuleResource.ResourceKind when group == IstioNetworking && IsIstioVersion(version):
                Add(destinationRules, obj, at, kind, namespaced: true);
                break;
            case GatewayResource.ResourceKind when group == IstioNetworking && IsIstioVersion(version):
                Add(gateways, obj, at, kind, namespaced: true);
                break;
            case GatewayApiRouteResource.HttpRouteKind or GatewayApiRouteResource.GrpcRouteKind when group == GatewayApiRouteResource.Group:
                Add(gatewayApiRoutes, obj, at, kind, namespaced: true);
                break;
            case "ConfigMap" when group.Length == 0 && IsMeshConfigMap(obj):
                Add(configMaps, obj, at, kind, namespaced: true);
                break;
            case AuthorizationPolicyResource.ResourceKind when group == AuthorizationPolicyResource.Group && version is "v1" or "v1beta1":
                Add(authorizationPolicies, obj, at, kind, namespaced: true);
                break;
            case "Namespace" or "Service" or "Pod" or "ReplicaSet" or "Deployment" or "StatefulSet" or "DaemonSet" or "Job" or "CronJob"
                or ServiceEntryResource.ResourceKind or SidecarResource.ResourceKind or VirtualServiceResource.ResourceKind
                or DestinationRuleResource.ResourceKind or GatewayResource.ResourceKind or AuthorizationPolicyResource.ResourceKind:
                Skip($"{kind} ({apiVersion})");
                break;
            default:
                Skip(kind);
                break;
        }
    }

    /// <summary>Only Istio's MeshConfig ConfigMaps are kept (<c>istio</c>, <c>istio-&lt;revision&gt;</c>): nothing else in a ConfigMap is for LazyMesh.</summary>
    private static bool IsMeshConfigMap(JsonObject obj) =>
        obj["metadata"] is JsonObject metadata && metadata["name"] is JsonValue name && name.TryGetValue<string>(out var n) &&
        (n == Mesh.MeshConfigParser.ConfigMapName || n.StartsWith(Mesh.MeshConfigParser.ConfigMapName + "-", StringComparison.Ordinal));

    private static bool IsIstioVersion(string version) => version is "v1" or "v1beta1" or "v1alpha3";

    private void Skip(string key) => skipped[key] = skipped.GetValueOrDefault(key) + 1;

    private void Add<T>(List<T> list, JsonObject obj, SourceLocation at, string kind, bool namespaced)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            throw Error(at, $"{kind} has no metadata");
        }

        var name = GetString(metadata, "name", at);
        if (string.IsNullOrEmpty(name))
        {
            throw Error(at, $"{kind} has no metadata.name");
        }

        var ns = string.Empty;
        if (namespaced)
        {
            ns = GetString(metadata, "namespace", at);
            if (string.IsNullOrEmpty(ns))
            {
                ns = "default";
                metadata["namespace"] = ns;
            }
        }

        var key = $"{kind}/{ns}/{name}";
        var display = namespaced ? $"{kind} {ns}/{name}" : $"{kind} {name}";
        if (seen.TryGetValue(key, out var first))
        {
            throw Error(at, $"duplicate {display}, first defined at {first}");
        }

        T? value;
        try
        {
            value = KubernetesJson.Deserialize<T>(obj.ToJsonString());
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            var path = ex is JsonException { Path: { } p } ? $" at {p}" : string.Empty;
            throw Error(at, $"cannot read {display}{path}: {ex.Message}", ex);
        }

        seen[key] = at;
        list.Add(value ?? throw Error(at, $"cannot read {display}"));
    }

    private static string? GetString(JsonObject obj, string property, SourceLocation at) => obj[property] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        var other => throw Error(at, $"{property} must be a string, found {Describe(other)}"),
    };

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "a list",
        JsonObject => "an object",
        _ => $"the value {node.ToJsonString()}",
    };

    private static InventoryException Error(SourceLocation at, string message, Exception? inner = null) =>
        new(at.FilePath, at.Line, message, inner);
}
