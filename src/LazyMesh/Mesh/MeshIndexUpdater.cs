using k8s.Models;
using LazyMesh.Inventory;

namespace LazyMesh.Mesh;

/// <summary>
/// Keeps a <see cref="MeshIndex"/> current: <see cref="Rebuild"/> builds it whole, <see cref="TryApplyPods"/> applies
/// pod changes by parts. A pod change by parts replaces the pod's workload (and its pods' entries), the Services of its
/// namespace that select it (old or new labels), and the pod-IP, address and host lookup entries they own; every other
/// part of the index is shared with the previous one. The lookups are layered maps: an update copies only their small
/// overlays; a grown overlay is frozen into a new base on the thread pool, and the next update after that adopts it.
/// A change whose effects are not local (a workload appears or goes, a selector may narrow differently, an IP is
/// shared, a hostNetwork pod, a conflict the builder would warn about) is refused: the caller rebuilds whole. Not
/// thread-safe: one caller applies changes.
/// </summary>
public sealed class MeshIndexUpdater
{
    private readonly MeshOptions _options;
    private readonly LayerMergePolicy _merges;
    private MeshIndexParts? _parts;

    public MeshIndexUpdater(MeshOptions? options = null)
        : this(options, LayerMergePolicy.Background)
    {
    }

    /// <summary>An updater whose lookups merge their overlays by <paramref name="merges"/> (tests choose when merges run).</summary>
    internal MeshIndexUpdater(MeshOptions? options, LayerMergePolicy merges)
    {
        _options = options ?? MeshOptions.Default;
        _merges = merges;
    }

    /// <summary>The last index built or updated.</summary>
    public MeshIndex Current { get; private set; } = MeshIndex.Empty;

    /// <summary>Why the last <see cref="TryApplyPods"/> refused (null when it applied).</summary>
    public string? LastRefusal { get; private set; }

    /// <summary>Builds the index whole from <paramref name="snapshot"/>.</summary>
    public MeshIndex Rebuild(InventorySnapshot snapshot)
    {
        _parts = MeshIndexBuilder.BuildParts(snapshot, _options);
        return Current = _parts.Index;
    }

    /// <summary>
    /// Applies pod changes (in order; the last change of a key wins) to <see cref="Current"/>: the new index, or null
    /// when they cannot be applied by parts (<see cref="LastRefusal"/> says why). After a null, the parts are stale:
    /// call <see cref="Rebuild"/> with an inventory that includes the changes.
    /// </summary>
    public MeshIndex? TryApplyPods(IEnumerable<PodChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (_parts is not { } parts)
        {
            LastRefusal = "no whole index to update (none built yet, or the last update was refused)";
            return null;
        }

        var latest = new Dictionary<string, V1Pod?>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            latest[change.Key] = change.Pod;
        }

        var update = new PodPartsUpdate(parts, _merges);
        foreach (var (key, pod) in latest)
        {
            if (update.Apply(key, pod) is { } refusal)
            {
                LastRefusal = refusal;
                _parts = null; // partly applied: only a rebuild makes the parts whole again
                return null;
            }
        }

        if (update.Complete() is { } failed)
        {
            LastRefusal = failed;
            _parts = null;
            return null;
        }

        LastRefusal = null;
        return Current = parts.Index;
    }
}
