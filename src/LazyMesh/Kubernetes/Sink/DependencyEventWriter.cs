using Microsoft.Extensions.Logging;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>
/// The Kubernetes Events LazyMesh writes: the aggregated <c>DependencyLearned</c> Events (at most one per workload per
/// window) and single Events such as a conflict. Best effort: a failed Event is logged and never fails a reconcile.
/// </summary>
public sealed partial class DependencyEventWriter
{
    private readonly KubeWriter _writer;
    private readonly string _identity;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public DependencyEventWriter(KubeWriter writer, TimeSpan aggregationWindow, string identity, TimeProvider time, ILogger logger)
    {
        _writer = writer;
        _identity = identity;
        _time = time;
        _logger = logger;
        Learned = new DependencyLearnedEvents(aggregationWindow);
    }

    /// <summary>Newly learned hosts waiting for their aggregated Event.</summary>
    public DependencyLearnedEvents Learned { get; }

    /// <summary>Writes the DependencyLearned Events whose aggregation window has passed.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var (target, hosts) in Learned.TakeDue(now.ToUnixTimeMilliseconds()))
        {
            var message = $"learned {hosts.Count} new dependenc{(hosts.Count == 1 ? "y" : "ies")} of {target.WorkloadKey}: {string.Join(", ", hosts)}";
            await WriteAsync(target, "Normal", KubeEvents.DependencyLearnedReason, message, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes one Event now.</summary>
    public async Task WriteAsync(EventTarget target, string type, string reason, string message, CancellationToken cancellationToken)
    {
        try
        {
            await _writer.CreateEventAsync(KubeEvents.Create(target, type, reason, message, _time.GetUtcNow(), _identity), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogEventFailed(_logger, reason, target.Key, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "event {Reason} for {Target} not written: {Error}")]
    private static partial void LogEventFailed(ILogger logger, string reason, string target, string error);
}
