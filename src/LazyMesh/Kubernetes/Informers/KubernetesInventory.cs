using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using LazyMesh.Controller;
using LazyMesh.Inventory;
using LazyMesh.Istio;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Kubernetes.Informers;

/// <summary>
/// The controller's inventory from a Kubernetes API server: one <see cref="Informer{T}"/> per kind the mesh index
/// reads (namespaces, services, pods, replicasets, deployments, statefulsets, daemonsets, jobs, cronjobs, Istio
/// serviceentries and sidecars). Once every informer has synced the index is built from their caches. Afterwards, on a
/// background task so that event intake never waits: pod changes are applied to the index by parts
/// (<see cref="MeshIndexUpdater"/>, a new index sharing everything else), and any other change (or a pod change the
/// updater refuses) rebuilds it whole, at most once per <see cref="KubernetesInventoryOptions.RebuildInterval"/>.
/// </summary>
public sealed partial class KubernetesInventory : IInventorySource, IAsyncDisposable
{
    /// <summary>More pod changes than this at once (a relist) are cheaper to rebuild whole than to apply.</summary>
    private const int MaxChangesByParts = 2_000;

    private readonly KubernetesInventoryOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<bool> _dirty = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(PodChange Change, long Timestamp)> _podChanges = new();
    private readonly MeshIndexUpdater _updater;
    private int _rebuildNeeded = 1;
    private long _updatesByParts;
    private Task? _rebuildLoop;
    private long _builds;
    private long _failedReloads;
    private long _lastBuildTicks;
    private int _disposed;

    public KubernetesInventory(IKubernetes client, KubernetesInventoryOptions? options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        _options = options ?? new KubernetesInventoryOptions();
        _logger = logger;
        _updater = new MeshIndexUpdater(_options.Mesh);
        var io = _options.Informers;
        var slim = _options.SlimObjects;
        Namespaces = new Informer<V1Namespace>(ResourceClients.Namespaces(client), io, logger, MetadataSlimmer.Slim);
        // The high-volume kinds are read slim off the wire (the same objects the slimmers would make, never built whole).
        Services = slim
            ? new Informer<V1Service>(ResourceClients.SlimServices(client), io, logger)
            : new Informer<V1Service>(ResourceClients.Services(client), io, logger, MetadataSlimmer.Slim);
        Pods = new Informer<V1Pod>(slim ? ResourceClients.SlimPods(client) : ResourceClients.Pods(client), io, logger);
        ReplicaSets = new Informer<V1ReplicaSet>(slim ? ResourceClients.SlimReplicaSets(client) : ResourceClients.ReplicaSets(client), io, logger);
        Deployments = new Informer<V1Deployment>(slim ? ResourceClients.SlimDeployments(client) : ResourceClients.Deployments(client), io, logger);
        StatefulSets = new Informer<V1StatefulSet>(ResourceClients.StatefulSets(client), io, logger, slim ? WorkloadSlimmer.Slim : null);
        DaemonSets = new Informer<V1DaemonSet>(ResourceClients.DaemonSets(client), io, logger, slim ? WorkloadSlimmer.Slim : null);
        Jobs = new Informer<V1Job>(ResourceClients.Jobs(client), io, logger, slim ? WorkloadSlimmer.Slim : null);
        CronJobs = new Informer<V1CronJob>(ResourceClients.CronJobs(client), io, logger, slim ? WorkloadSlimmer.Slim : null);
        ServiceEntries = new Informer<ServiceEntryResource>(ResourceClients.ServiceEntries(client), io, logger, MetadataSlimmer.Slim);
        Sidecars = new Informer<SidecarResource>(ResourceClients.Sidecars(client), io, logger, MetadataSlimmer.Slim);
        AuthorizationPolicies = new Informer<AuthorizationPolicyResource>(ResourceClients.AuthorizationPolicies(client), io, logger, MetadataSlimmer.Slim);
        VirtualServices = new Informer<VirtualServiceResource>(ResourceClients.VirtualServices(client), io, logger, MetadataSlimmer.Slim);
        DestinationRules = new Informer<DestinationRuleResource>(ResourceClients.DestinationRules(client), io, logger, MetadataSlimmer.Slim);
        Gateways = new Informer<GatewayResource>(ResourceClients.Gateways(client), io, logger, MetadataSlimmer.Slim);
        HttpRoutes = new Informer<GatewayApiRouteResource>(ResourceClients.HttpRoutes(client, io.Time), io, logger, MetadataSlimmer.Slim);
        GrpcRoutes = new Informer<GatewayApiRouteResource>(ResourceClients.GrpcRoutes(client, io.Time), io, logger, MetadataSlimmer.Slim);
        MeshConfigMaps = new Informer<V1ConfigMap>(ResourceClients.MeshConfigMaps(client, _options.Mesh.MeshConfigNamespace), io, logger, MetadataSlimmer.Slim);
        Informers =
        [
            Namespaces, Services, Pods, ReplicaSets, Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, ServiceEntries, Sidecars,
            VirtualServices, DestinationRules, Gateways, HttpRoutes, GrpcRoutes, AuthorizationPolicies, MeshConfigMaps,
        ];
        foreach (var informer in Informers.Where(i => !ReferenceEquals(i, Sidecars) && !ReferenceEquals(i, Pods)))
        {
            informer.Changed += MarkRebuild;
        }

        // The index reads only user-written Sidecars (conflicts): the echo of LazyMesh's own applies rebuilds nothing.
        Sidecars.ObjectChanged += change =>
        {
            if (!IsLazyMeshManaged(change.Object))
            {
                MarkRebuild();
            }
        };

        // Pods are what churns: their changes update the index by parts (MeshIndexUpdater).
        Pods.ObjectChanged += change =>
        {
            _podChanges.Enqueue((new PodChange(change.Key, change.Type == InformerChangeType.Deleted ? null : change.Object), _options.Informers.Time.GetTimestamp()));
            _dirty.Writer.TryWrite(true);
        };
    }

    /// <summary>Raised after each new index is in <see cref="Holder"/> (before <see cref="Reloaded"/>): how it was made and what it cost.</summary>
    public event Action<InventoryUpdate>? Updated;

    public event Action<MeshIndex>? Reloaded;

    public MeshIndexHolder Holder { get; } = new(MeshIndex.Empty);

    public Informer<V1Namespace> Namespaces { get; }

    public Informer<V1Service> Services { get; }

    public Informer<V1Pod> Pods { get; }

    public Informer<V1ReplicaSet> ReplicaSets { get; }

    public Informer<V1Deployment> Deployments { get; }

    public Informer<V1StatefulSet> StatefulSets { get; }

    public Informer<V1DaemonSet> DaemonSets { get; }

    public Informer<V1Job> Jobs { get; }

    public Informer<V1CronJob> CronJobs { get; }

    public Informer<ServiceEntryResource> ServiceEntries { get; }

    public Informer<SidecarResource> Sidecars { get; }

    public Informer<AuthorizationPolicyResource> AuthorizationPolicies { get; }
    public Informer<VirtualServiceResource> VirtualServices { get; }

    public Informer<DestinationRuleResource> DestinationRules { get; }

    public Informer<GatewayResource> Gateways { get; }

    public Informer<GatewayApiRouteResource> HttpRoutes { get; }

    public Informer<GatewayApiRouteResource> GrpcRoutes { get; }

    /// <summary>istiod's <c>istio</c> ConfigMap in <see cref="MeshOptions.MeshConfigNamespace"/>: MeshConfig, re-read when it changes.</summary>
    public Informer<V1ConfigMap> MeshConfigMaps { get; }

    /// <summary>Every informer, for metrics (<see cref="IInformer.Counters"/> by <see cref="IInformer.Resource"/>).</summary>
    public IReadOnlyList<IInformer> Informers { get; }

    /// <summary>All informers synced and the first index built.</summary>
    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    /// <summary>Indexes made (built whole or updated by parts), the first included.</summary>
    public long Builds => Interlocked.Read(ref _builds);

    /// <summary>Indexes made by applying pod changes to the previous one (<see cref="MeshIndexUpdater"/>).</summary>
    public long UpdatesByParts => Interlocked.Read(ref _updatesByParts);

    public long Reloads => Math.Max(0, Builds - 1);

    public long FailedReloads => Interlocked.Read(ref _failedReloads);

    /// <summary>How long the last index took to make (a snapshot of the caches and a whole build, or an update by parts).</summary>
    public TimeSpan LastBuildDuration => TimeSpan.FromTicks(Interlocked.Read(ref _lastBuildTicks));

    /// <summary>Starts every informer and the rebuild loop; returns at once (see <see cref="WaitForSyncAsync"/>).</summary>
    public void Start()
    {
        if (_rebuildLoop is not null)
        {
            return;
        }

        foreach (var informer in Informers)
        {
            informer.Start();
        }

        _rebuildLoop = Task.Run(() => RebuildLoopAsync(_stop.Token));
    }

    /// <summary>Completes when every informer has synced and the first index is in <see cref="Holder"/>.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>What the caches hold now, as the inventory the index is built from.</summary>
    public InventorySnapshot CreateSnapshot() => new()
    {
        Namespaces = Namespaces.List(),
        Services = Services.List(),
        Pods = Pods.List(),
        ReplicaSets = ReplicaSets.List(),
        Deployments = Deployments.List(),
        StatefulSets = StatefulSets.List(),
        DaemonSets = DaemonSets.List(),
        Jobs = Jobs.List(),
        CronJobs = CronJobs.List(),
        ServiceEntries = ServiceEntries.List(),
        Sidecars = Sidecars.List()
            .OrderBy(s => s.Metadata.NamespaceProperty, StringComparer.Ordinal)
            .ThenBy(s => s.Metadata.Name, StringComparer.Ordinal)
            .ToArray(),
        AuthorizationPolicies = AuthorizationPolicies.List(),
        VirtualServices = VirtualServices.List(),
        DestinationRules = DestinationRules.List(),
        Gateways = Gateways.List(),
        GatewayApiRoutes = [.. HttpRoutes.List(), .. GrpcRoutes.List()],
        ConfigMaps = MeshConfigMaps.List(),
    };

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_rebuildLoop is not null)
        {
            try
            {
                await _rebuildLoop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopping
            }
        }

        foreach (var informer in Informers)
        {
            await informer.DisposeAsync().ConfigureAwait(false);
        }

        _ready.TrySetCanceled();
        _stop.Dispose();
    }

    private static bool IsLazyMeshManaged(SidecarResource sidecar) =>
        sidecar.Metadata?.Labels?.TryGetValue(LazyMeshMetadata.ManagedByLabel, out var manager) == true && manager == LazyMeshMetadata.ManagedByValue;

    private void MarkRebuild()
    {
        Volatile.Write(ref _rebuildNeeded, 1);
        _dirty.Writer.TryWrite(true);
    }

    private async Task RebuildLoopAsync(CancellationToken stop)
    {
        await Task.WhenAll(Informers.Select(i => i.WaitForSyncAsync(stop))).ConfigureAwait(false);
        var time = _options.Informers.Time;
        var lastBuild = long.MinValue;
        while (!stop.IsCancellationRequested)
        {
            _dirty.Reader.TryRead(out _);
            if (Volatile.Read(ref _rebuildNeeded) == 1 && lastBuild != long.MinValue)
            {
                // Whole rebuilds are coalesced: at most one per RebuildInterval while changes keep arriving.
                var wait = _options.RebuildInterval - time.GetElapsedTime(lastBuild);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, stop).ConfigureAwait(false);
                }
            }

            var (whole, failed) = Update();
            if (whole)
            {
                lastBuild = time.GetTimestamp();
            }

            // After a failure the next change retries (the previous index stays in the holder meanwhile).
            if (_podChanges.IsEmpty && (failed || Volatile.Read(ref _rebuildNeeded) == 0))
            {
                await _dirty.Reader.ReadAsync(stop).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Makes the next index: pod changes by parts when that is all there is, else a whole rebuild.</summary>
    private (bool Whole, bool Failed) Update()
    {
        var first = !IsReady;
        var time = _options.Informers.Time;
        var started = time.GetTimestamp();
        var changes = new List<PodChange>();
        var oldest = long.MaxValue;
        while (changes.Count < MaxChangesByParts && _podChanges.TryDequeue(out var queued))
        {
            changes.Add(queued.Change);
            oldest = Math.Min(oldest, queued.Timestamp);
        }

        var whole = Interlocked.Exchange(ref _rebuildNeeded, 0) == 1 || changes.Count >= MaxChangesByParts;
        MeshIndex? index = null;
        int objects = 0;
        try
        {
            if (!whole)
            {
                index = _updater.TryApplyPods(changes);
                if (index is null)
                {
                    LogRefusedByParts(_logger, changes.Count, _updater.LastRefusal ?? "");
                }
            }

            if (index is null)
            {
                // Changes queued before this snapshot are in it; later ones are applied again after it, which is harmless.
                whole = true;
                while (_podChanges.TryDequeue(out var queued))
                {
                    oldest = Math.Min(oldest, queued.Timestamp);
                }

                var snapshot = CreateSnapshot();
                objects = snapshot.Count;
                index = _updater.Rebuild(snapshot);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Interlocked.Increment(ref _failedReloads);
            Volatile.Write(ref _rebuildNeeded, 1);
            LogRebuildFailed(_logger, e.Message);
            return (true, true);
        }

        Holder.Swap(index);
        var cost = time.GetElapsedTime(started);
        Interlocked.Exchange(ref _lastBuildTicks, cost.Ticks);
        Interlocked.Increment(ref _builds);
        if (!whole)
        {
            Interlocked.Increment(ref _updatesByParts);
        }

        if (first)
        {
            if (_options.CompactAfterSync)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }

            LogReady(_logger, objects, index.Workloads.Count, index.Services.Count, (long)cost.TotalMilliseconds);
            _ready.TrySetResult();
        }
        else if (whole)
        {
            LogRebuilt(_logger, index.Workloads.Count, index.Services.Count, (long)cost.TotalMilliseconds);
        }

        try
        {
            Updated?.Invoke(new InventoryUpdate(!whole, changes.Count, cost, oldest == long.MaxValue ? TimeSpan.Zero : time.GetElapsedTime(oldest)));
            Reloaded?.Invoke(index);
        }
        catch (Exception e)
        {
            LogHandlerFailed(_logger, e.Message);
        }

        return (whole, false);
    }
}
