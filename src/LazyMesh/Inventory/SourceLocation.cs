namespace LazyMesh.Inventory;

/// <summary>Where an object was read from: file (or stream name) and 1-based line.</summary>
public readonly record struct SourceLocation(string FilePath, int Line)
{
    public override string ToString() => Line > 0 ? $"{FilePath}:{Line}" : FilePath;
}
