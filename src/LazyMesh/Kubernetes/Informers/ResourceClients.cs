using k8s;
using k8s.Models;
using LazyMesh.Istio;

namespace LazyMesh.Kubernetes.Informers;

/// <summary>The list/watch clients for the resources LazyMesh reads, all namespaces.</summary>
public static class ResourceClients
{
    public const string LazyMeshGroup = "lazymesh.io";
    public const string LazySidecarVersion = "v1alpha1";
    public const string LazySidecarPlural = "lazysidecars";

    public static IResourceClient<V1Namespace> Namespaces(IKubernetes client) =>
        new TypedResourceClient<V1Namespace, V1NamespaceList>("namespaces", (watch, rv, cont, limit, timeout, ct) =>
            client.CoreV1.ListNamespaceWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(watch), continueParameter: cont, limit: limit,
                resourceVersion: rv, timeoutSeconds: timeout, watch: watch, cancellationToken: ct));

    public static IResourceClient<V1Service> Services(IKubernetes client) =>
        new TypedResourceClient<V1Service, V1ServiceList>("services", (watch, rv, cont, limit, timeout, ct) =>
            client.CoreV1.ListServiceForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(watch), continueParameter: cont, limit: limit,
                resourceVersion: rv, timeoutSeconds: timeout, watch: watch, cancellationToken: ct));

    public static IResourceClient<V1Pod> Pods(IKubernetes client) =>
        new TypedResourceClient<V1Pod, V1PodList>("pods", (watch, rv, cont, limit, timeout, ct) =>
            client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(watch), continueParameter: cont, limit: limit,
                resourceVersion: rv, timeoutSeconds: timeout, watch: watch, cancellationToken: ct));

    public static IResourceClient<V1ReplicaSet> ReplicaSets(IKubernetes client) =>
        new TypedResourceClient<V1ReplicaSet, V1ReplicaSetList>("replicasets", (watch, rv, cont, limit, timeout, ct) =>
            client.AppsV1.ListReplicaSetForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(watch), continueParameter: cont, limit: limit,
                resourceVersion: rv, timeoutSeconds: timeout, watch: watch, cancellationToken: ct));

    public static IResourceClient<V1Deployment> Deployments(IKubernetes client) =>
        new TypedResourceClient<V1Deployment, V1DeploymentList>("deployments", (watch, rv, cont, limit, timeout, ct) =>
            client.AppsV1.ListDeploymentForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(watch), continueParameter: cont, limit: limit,
                resourceVersion: rv, timeoutSeconds: timeout, watch: watch, cancellationToken: ct));

    public static IResourceClient<V1StatefulSet> StatefulSets(IKubernetes client) =>
        new TypedResourceClient<V1StatefulSet, V1StatefulSetList>("statefulsets", (watch, rv, cont, limit, timeout, ct) =>
            client.AppsV1.ListStatefulSetForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(watch), continueParameter: cont, limit: limit,
                resourceVersion: rv, timeoutSeconds: timeout, watch: watch, cancellationToken: ct));

    public static IResourceClient<V1DaemonSet> DaemonSets(IKubernetes client) =>
        new TypedResourceClient<V1DaemonSet, V1DaemonSetList>("daemonsets", (watch, rv, cont, limit, timeout, ct) =>
            client.AppsV1.ListDaemonSetForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(watch), continueParameter: cont, limit: limit,
                resourceVersion: rv, timeoutSeconds: timeout, watch: watch, cancellationToken: ct));

    public static IResourceClient<V1Job> Jobs(IKubernetes client) =>
        new TypedResourceClient<V1Job, V1JobList>("jobs", (watch, rv, cont, limit, timeout, ct) =>
            client.BatchV1.ListJobForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(watch), continueParameter: cont, limit: limit,
                resourceVersion: rv, timeoutSeconds: timeout, watch: watch, cancellationToken: ct));

    public static IResourceClient<V1CronJob> CronJobs(IKubernetes client) =>
        new TypedResourceClient<V1CronJob, V1CronJobList>("cronjobs", (watch, rv, cont, limit, timeout, ct) =>
            client.BatchV1.ListCronJobForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(watch), continueParameter: cont, limit: limit,
                resourceVersion: rv, timeoutSeconds: timeout, watch: watch, cancellationToken: ct));

    /// <summary>
    /// istiod's MeshConfig ConfigMap: only <c>istio</c> in <paramref name="ns"/> (field selector), so no other
    /// ConfigMap's data is ever listed or cached.
    /// </summary>
    public static IResourceClient<V1ConfigMap> MeshConfigMaps(IKubernetes client, string ns) =>
        new TypedResourceClient<V1ConfigMap, V1ConfigMapList>("configmaps", (watch, rv, cont, limit, timeout, ct) =>
            client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(ns, allowWatchBookmarks: Bookmarks(watch), continueParameter: cont,
                fieldSelector: "metadata.name=" + Mesh.MeshConfigParser.ConfigMapName, limit: limit,
                resourceVersion: rv, timeoutSeconds: timeout, watch: watch, cancellationToken: ct));

    /// <summary>Istio ServiceEntries (<c>networking.istio.io/v1</c>).</summary>
    public static IResourceClient<ServiceEntryResource> ServiceEntries(IKubernetes client) =>
        new CustomResourceClient<ServiceEntryResource>(client, SidecarResource.Group, "v1", "serviceentries");

    /// <summary>Istio Sidecars (<c>networking.istio.io/v1</c>).</summary>
    public static IResourceClient<SidecarResource> Sidecars(IKubernetes client) =>
        new CustomResourceClient<SidecarResource>(client, SidecarResource.Group, "v1", SidecarResource.Plural);

    /// <summary>Istio AuthorizationPolicies (<c>security.istio.io/v1</c>), evaluated by the fallback.</summary>
    public static IResourceClient<AuthorizationPolicyResource> AuthorizationPolicies(IKubernetes client) =>
        new CustomResourceClient<AuthorizationPolicyResource>(client, AuthorizationPolicyResource.Group, "v1", AuthorizationPolicyResource.Plural);

    /// <summary>Istio VirtualServices (<c>networking.istio.io/v1</c>).</summary>
    public static IResourceClient<VirtualServiceResource> VirtualServices(IKubernetes client) =>
        new CustomResourceClient<VirtualServiceResource>(client, SidecarResource.Group, "v1", VirtualServiceResource.Plural);

    /// <summary>Istio DestinationRules (<c>networking.istio.io/v1</c>).</summary>
    public static IResourceClient<DestinationRuleResource> DestinationRules(IKubernetes client) =>
        new CustomResourceClient<DestinationRuleResource>(client, SidecarResource.Group, "v1", DestinationRuleResource.Plural);

    /// <summary>Istio Gateways (<c>networking.istio.io/v1</c>).</summary>
    public static IResourceClient<GatewayResource> Gateways(IKubernetes client) =>
        new CustomResourceClient<GatewayResource>(client, SidecarResource.Group, "v1", GatewayResource.Plural);

    /// <summary>Gateway API HTTPRoutes (<c>gateway.networking.k8s.io/v1</c>), empty when the CRD is not installed.</summary>
    public static IResourceClient<GatewayApiRouteResource> HttpRoutes(IKubernetes client, TimeProvider? time = null) =>
        new OptionalResourceClient<GatewayApiRouteResource>(
            new CustomResourceClient<GatewayApiRouteResource>(client, GatewayApiRouteResource.Group, "v1", "httproutes"), time);

    /// <summary>Gateway API GRPCRoutes (<c>gateway.networking.k8s.io/v1</c>), empty when the CRD is not installed.</summary>
    public static IResourceClient<GatewayApiRouteResource> GrpcRoutes(IKubernetes client, TimeProvider? time = null) =>
        new OptionalResourceClient<GatewayApiRouteResource>(
            new CustomResourceClient<GatewayApiRouteResource>(client, GatewayApiRouteResource.Group, "v1", "grpcroutes"), time);

    /// <summary>LazyMesh's LazySidecars (<c>lazymesh.io/v1alpha1</c>), as <typeparamref name="T"/> (e.g. <see cref="RawResource"/>).</summary>
    public static IResourceClient<T> LazySidecars<T>(IKubernetes client) =>
        new CustomResourceClient<T>(client, LazyMeshGroup, LazySidecarVersion, LazySidecarPlural);

    /// <summary>Pods read into <see cref="Wire.WirePod"/> and cached as <see cref="PodSlimmer"/> would slim them.</summary>
    public static IResourceClient<V1Pod> SlimPods(IKubernetes client) =>
        new SlimResourceClient<Wire.WirePod, V1Pod>(client, string.Empty, "v1", "pods", static p => p.ToPod());

    /// <summary>Services read with slim metadata (<see cref="Wire.WireService"/>), as <see cref="MetadataSlimmer"/> would leave them.</summary>
    public static IResourceClient<V1Service> SlimServices(IKubernetes client) =>
        new SlimResourceClient<Wire.WireService, V1Service>(client, string.Empty, "v1", "services", static s => s.ToService());

    /// <summary>ReplicaSets read into <see cref="Wire.WireWorkload"/>, as <see cref="WorkloadSlimmer"/> would slim them.</summary>
    public static IResourceClient<V1ReplicaSet> SlimReplicaSets(IKubernetes client) =>
        new SlimResourceClient<Wire.WireWorkload, V1ReplicaSet>(client, "apps", "v1", "replicasets", static r => r.ToReplicaSet());

    /// <summary>Deployments read into <see cref="Wire.WireWorkload"/>, as <see cref="WorkloadSlimmer"/> would slim them.</summary>
    public static IResourceClient<V1Deployment> SlimDeployments(IKubernetes client) =>
        new SlimResourceClient<Wire.WireWorkload, V1Deployment>(client, "apps", "v1", "deployments", static d => d.ToDeployment());

    private static bool? Bookmarks(bool watch) => watch ? true : null;
}
