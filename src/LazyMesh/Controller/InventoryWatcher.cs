using LazyMesh.Inventory;
using LazyMesh.Mesh;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Controller;

/// <summary>
/// Loads the inventory files into a <see cref="MeshIndexHolder"/> and reloads them when they change
/// (after the files have been quiet for a moment). A reload that fails keeps the previous index and is
/// logged with the file and line at fault.
/// </summary>
public sealed partial class InventoryWatcher : IInventorySource
{
    private readonly IReadOnlyList<string> _paths;
    private readonly MeshOptions _meshOptions;
    private readonly TimeSpan _quietPeriod;
    private readonly ILogger _logger;
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly ITimer _debounce;
    private readonly Lock _reloadGate = new();
    private long _reloads;
    private long _failedReloads;

    /// <param name="time">The clock the quiet period runs on.</param>
    public InventoryWatcher(IReadOnlyList<string> paths, MeshOptions meshOptions, TimeSpan quietPeriod, ILogger logger, TimeProvider? time = null)
    {
        _paths = paths;
        _meshOptions = meshOptions;
        _quietPeriod = quietPeriod;
        _logger = logger;
        _debounce = (time ?? TimeProvider.System).CreateTimer(_ => Reload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Raised after a file change restarted the quiet period (its timer is armed by then).</summary>
    internal event Action? ChangeSeen;

    /// <summary>Raised after each successful reload with the new index.</summary>
    public event Action<MeshIndex>? Reloaded;

    public MeshIndexHolder Holder { get; } = new(MeshIndex.Empty);

    public long Reloads => Interlocked.Read(ref _reloads);

    public long FailedReloads => Interlocked.Read(ref _failedReloads);

    /// <summary>Loads the inventory once (throwing on bad input) and starts watching the files.</summary>
    public MeshIndex LoadAndWatch()
    {
        var index = Build();
        Holder.Swap(index);
        foreach (var path in _paths.Where(static p => p != InventoryLoader.StdinPath))
        {
            var full = Path.GetFullPath(path);
            var watcher = Directory.Exists(full)
                ? new FileSystemWatcher(full) { IncludeSubdirectories = true }
                : new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full));
            watcher.NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName;
            watcher.Changed += OnChanged;
            watcher.Created += OnChanged;
            watcher.Deleted += OnChanged;
            watcher.Renamed += OnChanged;
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }

        return index;
    }

    /// <summary>Reloads now (also what a file change triggers after the quiet period).</summary>
    public void Reload()
    {
        lock (_reloadGate)
        {
            try
            {
                var index = Build();
                Holder.Swap(index);
                Interlocked.Increment(ref _reloads);
                LogReloaded(_logger, index.Workloads.Count, index.Services.Count);
                Reloaded?.Invoke(index);
            }
            catch (Exception ex) when (ex is InventoryException or IOException or UnauthorizedAccessException)
            {
                Interlocked.Increment(ref _failedReloads);
                LogReloadFailed(_logger, ex.Message);
            }
        }
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _debounce.Dispose();
    }

    private MeshIndex Build() => MeshIndexBuilder.Build(InventoryLoader.Load(_paths), _meshOptions);

    private void OnChanged(object sender, FileSystemEventArgs e)
    {
        _debounce.Change(_quietPeriod, Timeout.InfiniteTimeSpan);
        ChangeSeen?.Invoke();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "inventory reloaded: {Workloads} workloads, {Services} services")]
    private static partial void LogReloaded(ILogger logger, int workloads, int services);

    [LoggerMessage(Level = LogLevel.Error, Message = "inventory reload failed, keeping the previous inventory: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string reason);
}
