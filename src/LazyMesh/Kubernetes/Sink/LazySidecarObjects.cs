using System.Collections.Concurrent;
using LazyMesh.Istio;
using LazyMesh.Kubernetes.Informers;
using LazyMesh.Kubernetes.State;
using LazyMesh.Mesh;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>
/// The LazySidecars this replica last applied or read, by namespace/name: server-side apply of one (spec only), a
/// read, and the LazySidecar informer's filter that tells a spec edit from the echo of this replica's own writes.
/// </summary>
public sealed class LazySidecarObjects
{
    private readonly KubeWriter _writer;
    private readonly ConcurrentDictionary<string, LazySidecarResource> _known = new(StringComparer.Ordinal);

    public LazySidecarObjects(KubeWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
    }

    /// <summary>Applies the workload's LazySidecar (spec only) and returns it as the server has it; null when it vanished meanwhile.</summary>
    public async Task<LazySidecarResource?> EnsureAsync(Workload workload, string name, IReadOnlyList<string> staticHosts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var body = LazySidecarManifest.For(workload, name, staticHosts);
        var applied = await _writer.ApplyAsync<LazySidecarResource>(
            LazySidecarResource.Group, LazySidecarResource.Version, LazySidecarResource.Plural, workload.Namespace, name, body, cancellationToken).ConfigureAwait(false);
        if (applied.Object is { } current)
        {
            // Applied now, or read back by the writer and found current (after a restart): either way, as the server has it.
            return Remember(current);
        }

        if (_known.TryGetValue($"{workload.Namespace}/{name}", out var known))
        {
            return known;
        }

        var fresh = await GetAsync(workload.Namespace, name, cancellationToken).ConfigureAwait(false);
        if (fresh is null)
        {
            // Deleted behind the cached apply: send it again.
            _writer.Invalidate(LazySidecarResource.Plural, workload.Namespace, name);
            applied = await _writer.ApplyAsync<LazySidecarResource>(
                LazySidecarResource.Group, LazySidecarResource.Version, LazySidecarResource.Plural, workload.Namespace, name, body, cancellationToken).ConfigureAwait(false);
            return applied.Object is { } reapplied ? Remember(reapplied) : null;
        }

        return Remember(fresh);
    }

    /// <summary>Reads the LazySidecar from the server (null: none).</summary>
    public Task<LazySidecarResource?> GetAsync(string ns, string name, CancellationToken cancellationToken) =>
        _writer.GetAsync<LazySidecarResource>(LazySidecarResource.Group, LazySidecarResource.Version, LazySidecarResource.Plural, ns, name, cancellationToken);

    public LazySidecarResource Remember(LazySidecarResource lazy)
    {
        ArgumentNullException.ThrowIfNull(lazy);
        _known[$"{lazy.Metadata.NamespaceProperty}/{lazy.Metadata.Name}"] = lazy;
        return lazy;
    }

    /// <summary>Forgets the LazySidecar and what was last applied of it and of its Sidecar (both are sent again next time).</summary>
    public void Forget(LazySidecarResource lazy)
    {
        ArgumentNullException.ThrowIfNull(lazy);
        var (ns, name) = (lazy.Metadata.NamespaceProperty, lazy.Metadata.Name);
        _known.TryRemove($"{ns}/{name}", out _);
        _writer.Invalidate(LazySidecarResource.Plural, ns, name);
        _writer.Invalidate(SidecarResource.Plural, ns, name);
    }

    /// <summary>
    /// LazySidecar informer: true when the change needs the workload reconciled (its spec was edited, or it was
    /// deleted). The echo of this replica's own writes (same generation: status merges, unchanged applies) is not.
    /// </summary>
    public bool OnLazySidecarChanged(InformerChangeType type, LazySidecarResource current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var (ns, name) = (current.Metadata.NamespaceProperty, current.Metadata.Name);
        var key = $"{ns}/{name}";
        if (type != InformerChangeType.Deleted && _known.TryGetValue(key, out var known) && known.Metadata.Generation == current.Metadata.Generation)
        {
            return false;
        }

        if (type == InformerChangeType.Added && !_known.ContainsKey(key))
        {
            // Listed at start, or created by another replica: the startup reconcile covers it.
            return false;
        }

        _known.TryRemove(key, out _);
        _writer.Invalidate(LazySidecarResource.Plural, ns, name);
        if (type == InformerChangeType.Deleted)
        {
            _writer.Invalidate(SidecarResource.Plural, ns, name);
        }

        return true;
    }
}
