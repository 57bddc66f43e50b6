using k8s;
using k8s.Models;
using LazyMesh.Istio;
using LazyMesh.Routing;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Sinks;

/// <summary>The fallback routing objects as files in a <see cref="DirectorySink"/> (<c>ns/name.kind.yaml</c>).</summary>
public sealed class DirectoryRoutingWriter : IRoutingObjectWriter
{
    private readonly DirectorySink _sink;
    private readonly SidecarWriteStats _writes;
    private readonly ILogger _logger;

    public DirectoryRoutingWriter(DirectorySink sink, SidecarWriteStats writes, ILogger logger)
    {
        _sink = sink;
        _writes = writes;
        _logger = logger;
    }

    public Task<bool> ApplyAsync(IKubernetesObject<V1ObjectMeta> resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        switch (_sink.Write(resource))
        {
            case WriteResult.Written:
                _writes.OnWritten();
                return Task.FromResult(true);
            case WriteResult.NotOurs:
                _writes.OnNotOurs();
                DirectorySinkLog.NotOurs(_logger, resource.Kind, _sink.PathFor(resource.Metadata.NamespaceProperty, resource.Metadata.Name, resource.Kind));
                return Task.FromResult(false);
            default:
                _writes.OnUnchanged();
                return Task.FromResult(false);
        }
    }

    public Task<IReadOnlyCollection<(string Namespace, string Name)>> ListEnvoyFiltersAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyCollection<(string, string)>>(_sink.ReadManaged(EnvoyFilterResource.ResourceKind));

    public Task<bool> DeleteEnvoyFilterAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var deleted = _sink.Delete(@namespace, name, EnvoyFilterResource.ResourceKind);
        if (deleted)
        {
            _writes.OnDeleted();
        }

        return Task.FromResult(deleted);
    }
}
