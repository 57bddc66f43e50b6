using LazyMesh.Sinks;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Controller.Files;

/// <summary>
/// The controller on files: inventory files watched (<see cref="InventoryWatcher"/>), learned state in the journal
/// (<see cref="JournalState"/>), objects into a directory (<see cref="DirectoryTarget"/>). One worker: keys run in
/// the order they were queued, so the routing key queued after every workload at start (and after an inventory
/// change) sees all their outcomes; everything restored is written before ALS streams are taken.
/// </summary>
public static partial class FilesMode
{
    /// <summary>
    /// Keys reconciled at once. One: with more, the routing key could run beside the last workloads of a pass and wait
    /// out its interval after them, so a pass would end with routing objects missing (measured 4 workers against 1:
    /// no difference out of the noise, docs/benchmarks.md).
    /// </summary>
    public const int FileWorkers = 1;

    public static ControllerMode Create(ControllerOptions options, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var clock = time ?? TimeProvider.System;
        var logger = loggerFactory.CreateLogger("LazyMesh.Controller");
        var inventory = new InventoryWatcher(options.InventoryPaths, options.Mesh, options.InventoryReloadDelay, logger, clock);
        var state = new JournalState(options.ResolvedStateDirectory, options.StateFileSystem, options.CompactionInterval, logger);

        // The journal is fsynced before any write and each workload's file is rewritten from it after a restart:
        // Sidecar files need atomic replacement for their readers, not a disk sync each.
        var sink = new DirectorySink(options.OutputDirectory, durable: false);
        var store = new Learning.DependencyStore(options.MaxHostsPerWorkload, recordBeforeShowing: true);
        var target = new DirectoryTarget(sink, store, options.EffectiveRender, options.FallbackRouting, clock, logger, options.CompactionInterval);
        return new ControllerMode
        {
            Name = "files",
            Inventory = inventory,
            Store = store,
            StartInventoryAsync = _ =>
            {
                var index = inventory.LoadAndWatch();
                foreach (var warning in index.Warnings)
                {
                    LogInventoryWarning(logger, warning);
                }

                return Task.CompletedTask;
            },
            InventoryLoading = "the inventory files are loading",
            State = state,
            Target = target,
            Render = options.EffectiveRender,
            EnabledByDefault = true,
            Workers = FileWorkers,
            MinWriteInterval = options.MinWriteInterval,
            ReconcileBeforeListening = true,
            AlsEndPoint = options.AlsEndPoint,
            HttpEndPoint = options.HttpEndPoint,
            Als = options.Als,
            Prometheus = options.Prometheus,
            MeterFactory = options.MeterFactory,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "inventory: {Warning}")]
    private static partial void LogInventoryWarning(ILogger logger, string warning);
}
