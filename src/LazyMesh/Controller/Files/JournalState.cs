using System.Diagnostics.Metrics;
using LazyMesh.Controller.Queue;
using LazyMesh.Hosting;
using LazyMesh.Learning;
using LazyMesh.Storage;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Controller.Files;

/// <summary>
/// Learned state on files: the <see cref="DependencyJournal"/> under the state directory. Restored at start; every new
/// edge is appended and fsynced before any Sidecar shows it (the store keeps a host out of every Sidecar until
/// recorded); compacted into the snapshot as a duty and once more at exit. The journal has one writer at a time:
/// appends and compactions are serialised here, whichever worker runs them.
/// </summary>
public sealed partial class JournalState : ILearnedState
{
    private readonly string _directory;
    private readonly IDurableFileSystem? _files;
    private readonly TimeSpan _compactionInterval;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private DependencyJournal? _journal;
    private DependencyStore? _store;

    public JournalState(string directory, IDurableFileSystem? files, TimeSpan compactionInterval, ILogger logger)
    {
        _directory = directory;
        _files = files;
        _compactionInterval = compactionInterval;
        _logger = logger;
        Duties = [new ControllerDuty(ControllerKey.Compaction, compactionInterval)];
    }

    public JournalStats Stats { get; } = new();

    public IReadOnlyList<ControllerDuty> Duties { get; }

    public Task RestoreAsync(DependencyStore store, CancellationToken cancellationToken)
    {
        _store = store;
        _journal = DependencyJournal.Open(_directory, store, out var loaded, _files);
        LogRestored(_logger, loaded.EdgesRestored, store.WorkloadCount, _directory);
        foreach (var problem in loaded.Problems)
        {
            LogJournalProblem(_logger, problem);
        }

        return Task.CompletedTask;
    }

    public bool TryRecord(DependencyStore store, IReadOnlyList<PendingEdge> edges)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(edges);
        try
        {
            lock (_gate)
            {
                Journal.Append([.. edges.Select(static e => new PersistedEdge(e.WorkloadKey, e.Host, e.SeenUnixMs, e.SeenUnixMs))]);
            }
        }
        catch (IOException ex)
        {
            Stats.OnAppendFailed();
            Stats.SetUnrecorded(edges.Count);
            LogAppendFailed(_logger, edges.Count, ex.Message);
            return false;
        }

        Stats.SetUnrecorded(0);
        foreach (var edge in edges)
        {
            store.MarkRecorded(edge.WorkloadKey, edge.Host);
        }

        return true;
    }

    public ValueTask<ReconcileResult> RunDutyAsync(ControllerKey key, ControllerContext context, CancellationToken cancellationToken)
    {
        if (key == ControllerKey.Compaction)
        {
            TryCompact();
        }

        return ValueTask.FromResult(ReconcileResult.After(_compactionInterval));
    }

    public void FlushAtExit(DependencyStore store, IReadOnlyList<PendingEdge> unrecorded)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(unrecorded);
        if (_journal is null)
        {
            return;
        }

        // Edges the journal refused get one more chance in the snapshot (the disk may have room for it now).
        foreach (var edge in unrecorded)
        {
            store.MarkRecorded(edge.WorkloadKey, edge.Host);
        }

        if (!TryCompact() && unrecorded.Count > 0)
        {
            LogUnrecordedAtExit(_logger, unrecorded.Count);
        }
    }

    public void AddMetrics(Meter meter)
    {
        meter.CreateObservableCounter<long>(
            "lazymesh_journal_failures_total",
            MetricLabel.Counts(
                "operation",
                ("append", () => Stats.AppendFailures),
                ("compact", () => Stats.CompactionFailures)),
            description: "Learned-state writes that failed (disk full, I/O error) and were retried, by operation");
        meter.CreateObservableGauge("lazymesh_journal_unrecorded_edges", () => Stats.Unrecorded, description: "Learned dependencies waiting for their journal record (kept out of Sidecars until then)");
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _journal?.Dispose();
            _journal = null;
        }

        return ValueTask.CompletedTask;
    }

    private DependencyJournal Journal => _journal ?? throw new InvalidOperationException("learned state not restored yet");

    private bool TryCompact()
    {
        try
        {
            lock (_gate)
            {
                Journal.Compact(_store!);
            }

            return true;
        }
        catch (IOException ex)
        {
            // The journal still holds everything; the next interval tries again.
            Stats.OnCompactionFailed();
            LogCompactionFailed(_logger, ex.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "restored {Edges} learned dependencies of {Workloads} workloads from {StateDirectory}")]
    private static partial void LogRestored(ILogger logger, int edges, int workloads, string stateDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "learned state: {Problem}")]
    private static partial void LogJournalProblem(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "recording {Count} learned dependencies in the journal failed; they stay queued, out of every Sidecar, and are retried: {Reason}")]
    private static partial void LogAppendFailed(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "writing the learned-state snapshot failed (the journal still holds everything; will retry): {Reason}")]
    private static partial void LogCompactionFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Count} learned dependencies could not be recorded before exit (the disk refused the journal and the snapshot); they will be learned again from traffic")]
    private static partial void LogUnrecordedAtExit(ILogger logger, int count);
}
