using k8s.Models;
using LazyMesh.Istio;

namespace LazyMesh.Inventory;

/// <summary>The Kubernetes and Istio objects an inventory holds, by kind, in input order.</summary>
public sealed record InventorySnapshot
{
    public static InventorySnapshot Empty { get; } = new();

    public IReadOnlyList<V1Namespace> Namespaces { get; init; } = [];

    public IReadOnlyList<V1Service> Services { get; init; } = [];

    public IReadOnlyList<V1Pod> Pods { get; init; } = [];

    public IReadOnlyList<V1ReplicaSet> ReplicaSets { get; init; } = [];

    public IReadOnlyList<V1Deployment> Deployments { get; init; } = [];

    public IReadOnlyList<V1StatefulSet> StatefulSets { get; init; } = [];

    public IReadOnlyList<V1DaemonSet> DaemonSets { get; init; } = [];

    public IReadOnlyList<V1Job> Jobs { get; init; } = [];

    public IReadOnlyList<V1CronJob> CronJobs { get; init; } = [];

    public IReadOnlyList<ServiceEntryResource> ServiceEntries { get; init; } = [];

    public IReadOnlyList<SidecarResource> Sidecars { get; init; } = [];

    public IReadOnlyList<VirtualServiceResource> VirtualServices { get; init; } = [];

    public IReadOnlyList<DestinationRuleResource> DestinationRules { get; init; } = [];

    public IReadOnlyList<GatewayResource> Gateways { get; init; } = [];

    /// <summary>Gateway API <c>HTTPRoute</c>s and <c>GRPCRoute</c>s (<see cref="GatewayApiRouteResource.Kind"/> tells them apart).</summary>
    public IReadOnlyList<GatewayApiRouteResource> GatewayApiRoutes { get; init; } = [];

    /// <summary>Istio's MeshConfig ConfigMaps (<c>istio</c>, <c>istio-&lt;revision&gt;</c>); other ConfigMaps are skipped.</summary>
    public IReadOnlyList<V1ConfigMap> ConfigMaps { get; init; } = [];
    /// <summary>Istio AuthorizationPolicies: the fallback evaluates them for the real caller before forwarding.</summary>
    public IReadOnlyList<AuthorizationPolicyResource> AuthorizationPolicies { get; init; } = [];

    /// <summary>
    /// Objects of kinds LazyMesh does not read, counted by kind (<c>ConfigMap</c>), or by
    /// <c>kind (apiVersion)</c> when the kind is known but its API group is not (e.g. a Knative <c>Service</c>).
    /// </summary>
    public IReadOnlyDictionary<string, int> SkippedKinds { get; init; } = new Dictionary<string, int>();

    /// <summary>Number of objects read (not counting skipped ones).</summary>
    public int Count =>
        Namespaces.Count + Services.Count + Pods.Count + ReplicaSets.Count + Deployments.Count + StatefulSets.Count +
        DaemonSets.Count + Jobs.Count + CronJobs.Count + ServiceEntries.Count + Sidecars.Count + ConfigMaps.Count +
        AuthorizationPolicies.Count + VirtualServices.Count + DestinationRules.Count + Gateways.Count + GatewayApiRoutes.Count;
}
