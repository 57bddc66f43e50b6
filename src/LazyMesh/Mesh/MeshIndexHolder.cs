namespace LazyMesh.Mesh;

/// <summary>Holds the current <see cref="MeshIndex"/>; readers take it with one volatile read, the inventory swaps it whole.</summary>
public sealed class MeshIndexHolder
{
    private MeshIndex _current;

    public MeshIndexHolder(MeshIndex initial) => _current = initial;

    public MeshIndex Current => Volatile.Read(ref _current);

    /// <summary>Replaces the index; returns the previous one.</summary>
    public MeshIndex Swap(MeshIndex next) => Interlocked.Exchange(ref _current, next);
}
