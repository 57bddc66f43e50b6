using LazyMesh.Mesh;

namespace LazyMesh.Controller;

/// <summary>
/// Where the controller's mesh index comes from: inventory files (<see cref="InventoryWatcher"/>) or a
/// Kubernetes API server (informers). Either keeps <see cref="Holder"/> current and says when it changed.
/// </summary>
public interface IInventorySource : IDisposable
{
    MeshIndexHolder Holder { get; }

    /// <summary>Successful rebuilds of the index after the first.</summary>
    long Reloads { get; }

    /// <summary>Rebuilds that failed (the previous index was kept).</summary>
    long FailedReloads { get; }

    /// <summary>Raised after each rebuild with the new index.</summary>
    event Action<MeshIndex>? Reloaded;
}
