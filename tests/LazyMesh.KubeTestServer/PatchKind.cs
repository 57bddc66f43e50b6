namespace LazyMesh.KubeTesting;

/// <summary>The patch formats the server accepts (apply is handled separately).</summary>
internal enum PatchKind
{
    Merge,
    StrategicMerge,
    Json,
}
