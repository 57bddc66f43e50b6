using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace LazyMesh.Bench;

/// <summary>Adds the median and the <see cref="LinesPerSecondColumn"/> to a benchmark class's summary.</summary>
public sealed class LinesPerSecondConfig : ManualConfig
{
    public LinesPerSecondConfig() => AddColumn(StatisticColumn.Median, new LinesPerSecondColumn(RecommendPipelineBenchmarks.LineCount));
}
