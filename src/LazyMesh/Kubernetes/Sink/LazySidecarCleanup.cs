using System.Collections.Concurrent;
using LazyMesh.Kubernetes.State;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Routing;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>
/// Leader only: deletes LazyMesh's LazySidecars (and through ownership their Sidecars) whose workload has been gone
/// from the index, or not lazy, for <see cref="KubernetesSinkOptions.CleanupGrace"/>; each workload's EnvoyFilter
/// goes first (<see cref="FallbackRoutingReconciler.RemoveBeforeSidecarAsync"/>).
/// </summary>
public sealed partial class LazySidecarCleanup
{
    private readonly KubeWriter _writer;
    private readonly LazySidecarObjects _lazySidecars;
    private readonly GeneratedSidecars _sidecars;
    private readonly LearnedStatus _learned;
    private readonly FallbackRoutingReconciler? _routing;
    private readonly KubernetesSinkOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _missingSince = new(StringComparer.Ordinal);

    public LazySidecarCleanup(
        KubeWriter writer,
        LazySidecarObjects lazySidecars,
        GeneratedSidecars sidecars,
        LearnedStatus learned,
        FallbackRoutingReconciler? routing,
        KubernetesSinkOptions options,
        TimeProvider time,
        ILogger logger)
    {
        _writer = writer;
        _lazySidecars = lazySidecars;
        _sidecars = sidecars;
        _learned = learned;
        _routing = routing;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Returns how many LazySidecars were deleted.</summary>
    public async Task<int> CleanupAsync(MeshIndex index, ILazySidecarSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(source);
        var deleted = 0;
        var now = _time.GetUtcNow();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var lazy in await source.ListAsync(null, cancellationToken).ConfigureAwait(false))
        {
            if (!ManagedObjects.IsManaged(lazy.Metadata))
            {
                continue;
            }

            var key = lazy.WorkloadKey;
            var workload = index.FindWorkload(key);
            var wanted = workload is not null
                && WorkloadAdmission.IsAdmitted(index, workload, _options.EnabledByDefault)
                && SidecarNames.For(workload) == lazy.Metadata.Name;
            var (ns, name) = (lazy.Metadata.NamespaceProperty, lazy.Metadata.Name);
            var objectKey = $"{ns}/{name}";
            if (wanted)
            {
                _missingSince.TryRemove(objectKey, out _);
                continue;
            }

            seen.Add(objectKey);
            var since = _missingSince.GetOrAdd(objectKey, now);
            if (now - since < _options.CleanupGrace)
            {
                continue;
            }

            if (_routing is not null)
            {
                await _routing.RemoveBeforeSidecarAsync(ns, name, cancellationToken).ConfigureAwait(false);
            }

            if (await _writer.DeleteAsync(LazySidecarResource.Group, LazySidecarResource.Version, LazySidecarResource.Plural, ns, name, cancellationToken).ConfigureAwait(false))
            {
                deleted++;
                LogCleanedUp(_logger, objectKey, key);
            }

            _lazySidecars.Forget(lazy);
            _sidecars.Forget(ns, name);
            _learned.Removed(key);
            _missingSince.TryRemove(objectKey, out _);
        }

        foreach (var key in _missingSince.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _missingSince.TryRemove(key, out _);
        }

        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "deleted LazySidecar {LazySidecar}: workload {Workload} is gone or no longer lazy")]
    private static partial void LogCleanedUp(ILogger logger, string lazySidecar, string workload);
}
