using LazyMesh.Rendering;
using LazyMesh.Reporting;

namespace LazyMesh.Ui;

/// <summary>What the graph of a mesh index and a dependency store is built with.</summary>
public sealed record GraphOptions
{
    /// <summary>Names where the data comes from (<c>controller</c>, <c>files</c>, <c>kubernetes</c>), shown on the page.</summary>
    public string Source { get; init; } = "controller";

    public RenderOptions Render { get; init; } = RenderOptions.Default;

    public EnvoyCostModel Costs { get; init; } = EnvoyCostModel.Default;

    /// <summary>Workloads whose learned change waits for its write.</summary>
    public Func<string, bool> IsPendingWrite { get; init; } = static _ => false;

    public bool EnabledByDefault { get; init; } = true;
}
