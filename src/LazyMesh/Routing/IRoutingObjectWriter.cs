using k8s;
using k8s.Models;

namespace LazyMesh.Routing;

/// <summary>
/// Where the fallback routing objects go: a directory (<c>Sinks.DirectoryRoutingWriter</c>) or the API server
/// (<c>Kubernetes.Sink.ApiRoutingWriter</c>). Only what <see cref="FallbackRoutingReconciler"/> needs; it keeps the order.
/// </summary>
public interface IRoutingObjectWriter
{
    /// <summary>Writes a Service, DestinationRule or EnvoyFilter; true when it changed something.</summary>
    Task<bool> ApplyAsync(IKubernetesObject<V1ObjectMeta> resource, CancellationToken cancellationToken);

    /// <summary>Every LazyMesh-managed EnvoyFilter there (namespace, name).</summary>
    Task<IReadOnlyCollection<(string Namespace, string Name)>> ListEnvoyFiltersAsync(CancellationToken cancellationToken);

    /// <summary>Deletes LazyMesh's EnvoyFilter of that name, if there is one and it is LazyMesh's; true when deleted.</summary>
    Task<bool> DeleteEnvoyFilterAsync(string @namespace, string name, CancellationToken cancellationToken);
}
