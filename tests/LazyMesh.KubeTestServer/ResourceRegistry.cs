using System.Collections.Concurrent;

namespace LazyMesh.KubeTesting;

/// <summary>The resources a <see cref="KubeTestServer"/> knows, looked up by group, version and plural.</summary>
internal sealed class ResourceRegistry
{
    private readonly ConcurrentDictionary<(string Group, string Version, string Plural), KubeResourceType> _byPath = new();
    private readonly ConcurrentDictionary<(string Group, string Plural), KubeResourceType> _byGroupPlural = new();

    public ResourceRegistry()
    {
        Register(new("", ["v1"], "namespaces", "Namespace", Namespaced: false, HasStatusSubresource: true));
        Register(new("", ["v1"], "services", "Service", Namespaced: true, HasStatusSubresource: true) { DeleteReturnsObject = true });
        Register(new("", ["v1"], "pods", "Pod", Namespaced: true, HasStatusSubresource: true) { DeleteReturnsObject = true });
        Register(new("", ["v1"], "events", "Event", Namespaced: true, HasStatusSubresource: false));
        Register(new("", ["v1"], "configmaps", "ConfigMap", Namespaced: true, HasStatusSubresource: false));
        Register(new("", ["v1"], "serviceaccounts", "ServiceAccount", Namespaced: true, HasStatusSubresource: false));
        Register(new("events.k8s.io", ["v1"], "events", "Event", Namespaced: true, HasStatusSubresource: false));
        Register(new("apps", ["v1"], "replicasets", "ReplicaSet", Namespaced: true, HasStatusSubresource: true));
        Register(new("apps", ["v1"], "deployments", "Deployment", Namespaced: true, HasStatusSubresource: true));
        Register(new("apps", ["v1"], "statefulsets", "StatefulSet", Namespaced: true, HasStatusSubresource: true));
        Register(new("apps", ["v1"], "daemonsets", "DaemonSet", Namespaced: true, HasStatusSubresource: true));
        Register(new("batch", ["v1"], "jobs", "Job", Namespaced: true, HasStatusSubresource: true));
        Register(new("batch", ["v1"], "cronjobs", "CronJob", Namespaced: true, HasStatusSubresource: true));
        Register(new("coordination.k8s.io", ["v1"], "leases", "Lease", Namespaced: true, HasStatusSubresource: false));
        Register(new("networking.istio.io", ["v1", "v1beta1", "v1alpha3"], "sidecars", "Sidecar", Namespaced: true, HasStatusSubresource: true));
        Register(new("networking.istio.io", ["v1", "v1beta1", "v1alpha3"], "serviceentries", "ServiceEntry", Namespaced: true, HasStatusSubresource: true));
        Register(new("networking.istio.io", ["v1", "v1beta1", "v1alpha3"], "virtualservices", "VirtualService", Namespaced: true, HasStatusSubresource: true));
        Register(new("networking.istio.io", ["v1", "v1beta1", "v1alpha3"], "destinationrules", "DestinationRule", Namespaced: true, HasStatusSubresource: true));
        Register(new("networking.istio.io", ["v1", "v1beta1", "v1alpha3"], "gateways", "Gateway", Namespaced: true, HasStatusSubresource: true));
        Register(new("gateway.networking.k8s.io", ["v1"], "httproutes", "HTTPRoute", Namespaced: true, HasStatusSubresource: true));
        Register(new("gateway.networking.k8s.io", ["v1"], "grpcroutes", "GRPCRoute", Namespaced: true, HasStatusSubresource: true));
        Register(new("networking.istio.io", ["v1alpha3"], "envoyfilters", "EnvoyFilter", Namespaced: true, HasStatusSubresource: true));
        Register(new("networking.istio.io", ["v1", "v1beta1", "v1alpha3"], "destinationrules", "DestinationRule", Namespaced: true, HasStatusSubresource: true));
        Register(new("lazymesh.io", ["v1alpha1"], "lazysidecars", "LazySidecar", Namespaced: true, HasStatusSubresource: true));
        Register(new("rbac.authorization.k8s.io", ["v1"], "roles", "Role", Namespaced: true, HasStatusSubresource: false));
        Register(new("rbac.authorization.k8s.io", ["v1"], "rolebindings", "RoleBinding", Namespaced: true, HasStatusSubresource: false));
        Register(new("rbac.authorization.k8s.io", ["v1"], "clusterroles", "ClusterRole", Namespaced: false, HasStatusSubresource: false));
        Register(new("rbac.authorization.k8s.io", ["v1"], "clusterrolebindings", "ClusterRoleBinding", Namespaced: false, HasStatusSubresource: false));
        Register(new("policy", ["v1"], "poddisruptionbudgets", "PodDisruptionBudget", Namespaced: true, HasStatusSubresource: true));
        Register(new("autoscaling", ["v2"], "horizontalpodautoscalers", "HorizontalPodAutoscaler", Namespaced: true, HasStatusSubresource: true));
        Register(new("telemetry.istio.io", ["v1", "v1alpha1"], "telemetries", "Telemetry", Namespaced: true, HasStatusSubresource: true));
        Register(new("apiextensions.k8s.io", ["v1"], "customresourcedefinitions", "CustomResourceDefinition", Namespaced: false, HasStatusSubresource: true));
    }

    public void Register(KubeResourceType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.Versions.Count == 0)
        {
            throw new ArgumentException("A resource needs at least one version.", nameof(type));
        }

        _byGroupPlural[(type.Group, type.Plural)] = type;
        foreach (var version in type.Versions)
        {
            _byPath[(type.Group, version, type.Plural)] = type;
        }
    }

    public KubeResourceType? Find(string group, string version, string plural) =>
        _byPath.TryGetValue((group, version, plural), out var type) ? type : null;

    public KubeResourceType? Find(string group, string plural) =>
        _byGroupPlural.TryGetValue((group, plural), out var type) ? type : null;

    public IReadOnlyCollection<KubeResourceType> All => _byGroupPlural.Values.Distinct().ToList();
}
