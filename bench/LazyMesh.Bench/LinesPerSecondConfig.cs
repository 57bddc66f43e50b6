using BenchmarkDotNet.Configs;

namespace LazyMesh.Bench;

/// <summary>Adds the <see cref="LinesPerSecondColumn"/> to a benchmark class's summary.</summary>
public sealed class LinesPerSecondConfig : ManualConfig
{
    public LinesPerSecondConfig() => AddColumn(new LinesPerSecondColumn(RecommendPipelineBenchmarks.LineCount));
}
