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
    private readonly List<string> warnings = [];

    public void AddDocument(SourceDocument document, string filePath)
    {
        if (document.Problem is { } problem)
        {
            warnings.Add(problem);
            return;
        }

        switch (document.Root)
        {
            case null:
                return;
            case JsonArray array:
                foreach (var item in array)
                {
                    TryAddObject(item, new SourceLocation(filePath, item is null ? document.Line : document.LineOf(item)), null, null);
                }

                return;
            default:
                TryAddObject(document.Root, new SourceLocation(filePath, document.Line), document.DefaultKind, document.DefaultApiVersion, document);
                return;
        }
    }

    /// <summary>A bad object is skipped with a <c>file:line</c> warning (and counted); the rest of the input still loads.</summary>
    private void TryAddObject(JsonNode? node, SourceLocation at, string? defaultKind, string? defaultApiVersion, SourceDocument? document = null)
    {
        try
        {
            AddObject(node, at, defaultKind, defaultApiVersion, document);
        }
        catch (InventoryException ex)
        {
            warnings.Add($"{ex.Message} (object skipped)");
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
        Warnings = warnings.ToArray(),
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
                TryAddObject(item, at with { Line = line }, itemKind, itemKind is null ? null : apiVersion);
            }

            return;
        }

        if (SkipKey(kind, apiVersion, MeshConfigMapName(obj)) is { } skip)
        {
            Skip(skip);
            return;
        }

        obj["kind"] = kind;
        obj["apiVersion"] = apiVersion;
        switch (kind)
        {
            case "Namespace":
                Add(namespaces, obj, at, kind, namespaced: false);
                break;
            case "Service":
                Add(services, obj, at, kind, namespaced: true);
                break;
            case "Pod":
                Add(pods, obj, at, kind, namespaced: true);
                break;
            case "ReplicaSet":
                Add(replicaSets, obj, at, kind, namespaced: true);
                break;
            case "Deployment":
                Add(deployments, obj, at, kind, namespaced: true);
                break;
            case "StatefulSet":
                Add(statefulSets, obj, at, kind, namespaced: true);
                break;
            case "DaemonSet":
                Add(daemonSets, obj, at, kind, namespaced: true);
                break;
            case "Job":
                Add(jobs, obj, at, kind, namespaced: true);
                break;
            case "CronJob":
                Add(cronJobs, obj, at, kind, namespaced: true);
                break;
            case ServiceEntryResource.ResourceKind:
                Add(serviceEntries, obj, at, kind, namespaced: true);
                break;
            case SidecarResource.ResourceKind:
                Add(sidecars, obj, at, kind, namespaced: true);
                break;
            case VirtualServiceResource.ResourceKind:
                Add(virtualServices, obj, at, kind, namespaced: true);
                break;
            case DestinationRuleResource.ResourceKind:
                Add(destinationRules, obj, at, kind, namespaced: true);
                break;
            case GatewayResource.ResourceKind:
                Add(gateways, obj, at, kind, namespaced: true);
                break;
            case GatewayApiRouteResource.HttpRouteKind or GatewayApiRouteResource.GrpcRouteKind:
                Add(gatewayApiRoutes, obj, at, kind, namespaced: true);
                break;
            case "ConfigMap":
                Add(configMaps, obj, at, kind, namespaced: true);
                break;
            case AuthorizationPolicyResource.ResourceKind:
                Add(authorizationPolicies, obj, at, kind, namespaced: true);
                break;
        }
    }

    /// <summary>
    /// Counts an object as skipped without it ever being built, when its kind, apiVersion and name alone say that
    /// LazyMesh skips it; a reader calls this before it builds each streamed object (issue 11: a 200 MB list of
    /// ConfigMaps and Secrets peaked at 1.5 GB). False when the object must be built: a kind that is kept, a list, or
    /// no kind or apiVersion (which are warnings, reported when the object is added).
    /// </summary>
    public bool TrySkipUnbuilt(string? kind, string? apiVersion, string? name)
    {
        if (string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(apiVersion) || kind.EndsWith("List", StringComparison.Ordinal)
            || SkipKey(kind, apiVersion, name) is not { } skip)
        {
            return false;
        }

        Skip(skip);
        return true;
    }

    /// <summary>Null when LazyMesh keeps objects of this kind and apiVersion (and, for a ConfigMap, name); else what the skip is counted as.</summary>
    private static string? SkipKey(string kind, string apiVersion, string? name)
    {
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        var version = apiVersion[(slash + 1)..];
        var kept = kind switch
        {
            "Namespace" or "Service" or "Pod" => group.Length == 0,
            "ReplicaSet" or "Deployment" or "StatefulSet" or "DaemonSet" => group == "apps",
            "Job" or "CronJob" => group == "batch",
            ServiceEntryResource.ResourceKind or SidecarResource.ResourceKind or VirtualServiceResource.ResourceKind
                or DestinationRuleResource.ResourceKind or GatewayResource.ResourceKind => group == IstioNetworking && IsIstioVersion(version),
            GatewayApiRouteResource.HttpRouteKind or GatewayApiRouteResource.GrpcRouteKind => group == GatewayApiRouteResource.Group,
            "ConfigMap" => group.Length == 0 && IsMeshConfigMapName(name),
            AuthorizationPolicyResource.ResourceKind => group == AuthorizationPolicyResource.Group && version is "v1" or "v1beta1",
            _ => false,
        };
        return kept ? null : kind switch
        {
            "Namespace" or "Service" or "Pod" or "ReplicaSet" or "Deployment" or "StatefulSet" or "DaemonSet" or "Job" or "CronJob"
                or ServiceEntryResource.ResourceKind or SidecarResource.ResourceKind or VirtualServiceResource.ResourceKind
                or DestinationRuleResource.ResourceKind or GatewayResource.ResourceKind or AuthorizationPolicyResource.ResourceKind => $"{kind} ({apiVersion})",
            _ => kind,
        };
    }

    /// <summary>Only Istio's MeshConfig ConfigMaps are kept (<c>istio</c>, <c>istio-&lt;revision&gt;</c>): nothing else in a ConfigMap is for LazyMesh.</summary>
    private static bool IsMeshConfigMapName(string? name) =>
        name is not null && (name == Mesh.MeshConfigParser.ConfigMapName || name.StartsWith(Mesh.MeshConfigParser.ConfigMapName + "-", StringComparison.Ordinal));

    private static string? MeshConfigMapName(JsonObject obj) =>
        obj["metadata"] is JsonObject metadata && metadata["name"] is JsonValue name && name.TryGetValue<string>(out var n) ? n : null;

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

        InventoryNames.Check(kind, ns, name, metadata, at);
        var key = $"{kind}/{ns}/{name}";
        var display = namespaced ? $"{kind} {ns}/{name}" : $"{kind} {name}";
        if (seen.TryGetValue(key, out var first))
        {
            throw Error(at, $"duplicate {display}, first defined at {first}");
        }

        if (FirstNullListItem(obj) is { } nullItem)
        {
            // The API server never stores one (a typed list of objects cannot hold null); the client's models would
            // carry it on as a null element (found by fuzzing: a trailing "- " under a Service's ports).
            throw Error(at, $"{display} has an empty list item at {nullItem}");
        }

        T? value;
        try
        {
            value = KubernetesJson.Deserialize<T>(obj.ToJsonString());
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or ArgumentException or OverflowException)
        {
            var path = ex is JsonException { Path: { } p } ? $" at {p}" : string.Empty;
            throw Error(at, $"cannot read {display}{path}: {ex.Message}", ex);
        }

        seen[key] = at;
        list.Add(value ?? throw Error(at, $"cannot read {display}"));
    }

    /// <summary>The path (<c>spec.ports[3]</c>) of the first null element of a list anywhere in the object, or null.</summary>
    private static string? FirstNullListItem(JsonObject obj)
    {
        var pending = new Stack<JsonNode>();
        pending.Push(obj);
        while (pending.TryPop(out var node))
        {
            if (node is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        pending.Push(item);
                    }
                    else
                    {
                        return $"{array.GetPath().TrimStart('$', '.')}[{i}]";
                    }
                }
            }
            else if (node is JsonObject map)
            {
                foreach (var (_, child) in map)
                {
                    if (child is not null)
                    {
                        pending.Push(child);
                    }
                }
            }
        }

        return null;
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
