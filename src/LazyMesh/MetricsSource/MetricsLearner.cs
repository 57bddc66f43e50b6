using LazyMesh.Attribution;
using LazyMesh.Learning;
using LazyMesh.Mesh;

namespace LazyMesh.MetricsSource;

/// <summary>
/// One learning pass from Prometheus: query each Istio metric over the window, attribute, and learn through the
/// caller's learn function (the same store and pipeline access logs feed), marked <see cref="LearnedVia.Metrics"/>.
/// </summary>
public sealed class MetricsLearner(PrometheusClient client, PrometheusWindow window)
{
    public PrometheusClient Client => client;

    public PrometheusWindow Window => window;

    /// <param name="learn">Records an edge; returns what the store did (new, known, capped).</param>
    public async Task<MetricsLearnResult> LearnAsync(MeshIndex index, Func<Workload, MeshService, long, LearnResult> learn, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var seen = at.ToUnixTimeMilliseconds();
        var result = new MetricsLearnResult();
        foreach (var (metric, _) in IstioMetricQueries.Metrics)
        {
            var samples = await client.QueryAsync(IstioMetricQueries.Query(metric, window), at, cancellationToken).ConfigureAwait(false);
            var edges = MetricEdgeAttribution.Attribute(index, samples, out var skipped);
            result.Series += samples.Count;
            foreach (var (reason, count) in skipped)
            {
                result.Skipped[reason] = result.Skipped.GetValueOrDefault(reason) + count;
            }

            foreach (var edge in edges)
            {
                switch (learn(edge.Source, edge.Destination, seen))
                {
                    case LearnResult.New:
                        result.New++;
                        break;
                    case LearnResult.Capped:
                        result.Capped++;
                        break;
                    default:
                        result.Known++;
                        break;
                }
            }
        }

        return result;
    }
}
