using LazyMesh.Learning;
using LazyMesh.Mesh;
using Microsoft.Extensions.Logging;

namespace LazyMesh.MetricsSource;

/// <summary>
/// The controller's loop over <see cref="MetricsLearner"/>: one pass at start, then one per interval. A failed pass
/// is logged and counted, and the next one runs on time; learning from access logs is never held up by it.
/// </summary>
public sealed partial class MetricsPoller(
    MetricsPollingOptions options,
    Func<MeshIndex> index,
    Func<Workload, MeshService, long, LearnResult> learn,
    ILogger logger,
    TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly MetricsLearner _learner = new(new PrometheusClient(options.Prometheus), options.Window);
    private long _passes;
    private long _failures;
    private long _learned;

    public long Passes => Interlocked.Read(ref _passes);

    public long Failures => Interlocked.Read(ref _failures);

    public long EdgesLearned => Interlocked.Read(ref _learned);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Interval, _time);
        do
        {
            await PollOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    public async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await _learner.LearnAsync(index(), learn, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _passes);
            Interlocked.Add(ref _learned, result.New);
            LogPass(logger, options.Prometheus.ToString(), options.Window.Text, result.ToString());
        }
        catch (PrometheusQueryException ex)
        {
            Interlocked.Increment(ref _failures);
            LogFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "learned from Prometheus {Url} over {Window}: {Result}")]
    private static partial void LogPass(ILogger logger, string url, string window, string result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "learning from Prometheus failed (retried next interval): {Message}")]
    private static partial void LogFailed(ILogger logger, string message);
}
