namespace LazyMesh.Mesh;

/// <summary>When a layered map's overlay is frozen into its base.</summary>
internal static class LayeredMaps
{
    /// <summary>
    /// An overlay is copied on every change, a base only when they merge: merging once the overlay reaches an
    /// eighth of the base (at least 1,024 entries) keeps both costs small per change.
    /// </summary>
    public static int CompactionThreshold(int baseCount) => Math.Max(1024, baseCount / 8);
}
