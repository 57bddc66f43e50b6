using k8s.Models;

namespace LazyMesh.Install;

/// <summary>
/// The permissions each LazyMesh identity needs and no more. The test API server enforces these rules on the
/// ServiceAccount tokens it mints, so a verb missing here fails a test (InstallOnTestServerTests).
/// </summary>
public static class InstallRbac
{
    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly string[] Write = ["get", "list", "watch", "create", "patch", "update", "delete"];

    /// <summary>What <c>KubernetesInventory</c> watches: the controller and the fallback both read these.</summary>
    public static IList<V1PolicyRule> InventoryRules() =>
    [
        Rule([""], ["namespaces", "services", "pods"], Read),
        Rule(["apps"], ["replicasets", "deployments", "statefulsets", "daemonsets"], Read),
        Rule(["batch"], ["jobs", "cronjobs"], Read),
        Rule(["networking.istio.io"], ["serviceentries", "sidecars", "virtualservices", "destinationrules", "gateways"], Read),
        Rule(["gateway.networking.k8s.io"], ["httproutes", "grpcroutes"], Read),
        Rule(["security.istio.io"], ["authorizationpolicies"], Read),
    ];

    /// <summary>The controller, cluster-wide: the inventory, the objects it generates and Events on them.</summary>
    public static IList<V1PolicyRule> ControllerClusterRules(InstallOptions options) =>
    [
        .. InventoryRules(),
        Rule(["networking.istio.io"], ["sidecars", "envoyfilters"], Write),
        Rule(["lazymesh.io"], ["lazysidecars"], Write),
        Rule(["lazymesh.io"], ["lazysidecars/status"], ["get", "patch", "update"]),
        Rule(["", "events.k8s.io"], ["events"], ["create", "patch"]),
    ];

    /// <summary>The controller, in its own namespace: the leader-election Lease.</summary>
    public static IList<V1PolicyRule> ControllerLeaseRules() =>
    [
        Rule(["coordination.k8s.io"], ["leases"], ["get", "list", "watch", "create", "update", "patch"]),
    ];

    /// <summary>
    /// The controller, in the fallback's namespace: the fallback's Service, which it keeps to every mesh HTTP port,
    /// and its DestinationRule (useClientProtocol).
    /// </summary>
    public static IList<V1PolicyRule> ControllerFallbackServiceRules() =>
    [
        Rule([""], ["services"], ["get", "create", "patch", "update", "delete"]),
        Rule(["networking.istio.io"], ["destinationrules"], ["get", "create", "patch", "update", "delete"]),
    ];

    /// <summary>
    /// The controller and the fallback, in istiod's namespace: its MeshConfig ConfigMap <c>istio</c> (extension
    /// providers, outbound policy, export defaults, root namespace). Only that namespace: no other ConfigMap is read.
    /// </summary>
    public static IList<V1PolicyRule> MeshConfigRules() =>
    [
        Rule([""], ["configmaps"], Read),
    ];

    /// <summary>Read-only, for <c>lazymesh status</c> users (bind it to whom you like).</summary>
    public static IList<V1PolicyRule> StatusRules() =>
    [
        Rule(["lazymesh.io"], ["lazysidecars"], Read),
        Rule(["networking.istio.io"], ["sidecars", "envoyfilters"], Read),
    ];

    private static V1PolicyRule Rule(string[] groups, string[] resources, string[] verbs) =>
        new() { ApiGroups = [.. groups], Resources = [.. resources], Verbs = [.. verbs] };
}
