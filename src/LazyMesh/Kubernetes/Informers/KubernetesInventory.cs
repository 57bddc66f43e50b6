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
/// serviceentries and sidecars). Once every informer has synced the index is built from their caches; afterwards
/// every change schedules a rebuild on a background task, coalesced so that there is at most one rebuild per
/// <see cref="KubernetesInventoryOptions.RebuildInterval"/> and event intake never waits for a build.
/// </summary>
public sealed partial class KubernetesInventory : IInventorySource, IAsyncDisposable
{
    private readonly KubernetesInventoryOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<bool> _dirty = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
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
        HttpRoutes = new Informer<GatewayApiRouteResource>(ResourceClients.HttpRoutes(client), io, logger, MetadataSlimmer.Slim);
        GrpcRoutes = new Informer<GatewayApiRouteResource>(ResourceClients.GrpcRoutes(client), io, logger, MetadataSlimmer.Slim);
        MeshConfigMaps = new Informer<V1ConfigMap>(ResourceClients.MeshConfigMaps(client, _options.Mesh.MeshConfigNamespace), io, logger, MetadataSlimmer.Slim);
        Informers =
        [
            Namespaces, Services, Pods, ReplicaSets, Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, ServiceEntries, Sidecars,
            VirtualServices, DestinationRules, Gateways, HttpRoutes, GrpcRoutes, AuthorizationPolicies, MeshConfigMaps,
        ];
        foreach (var informer in Informers.Where(i => !ReferenceEquals(i, Sidecars)))
        {
            informer.Changed += MarkDirty;
        }

        // The index reads only user-written Sidecars (conflicts): the echo of LazyMesh's own applies rebuilds nothing.
        Sidecars.ObjectChanged += change =>
        {
            if (!IsLazyMeshManaged(change.Object))
            {
                MarkDirty();
            }
        };
    }

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

    /// <summary>Index builds, the first included.</summary>
    public long Builds => Interlocked.Read(ref _builds);

    public long Reloads => Math.Max(0, Builds - 1);

    public long FailedReloads => Interlocked.Read(ref _failedReloads);

    /// <summary>How long the last index build took (snapshot of the caches and <see cref="MeshIndexBuilder.Build"/>).</summary>
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

    private void MarkDirty() => _dirty.Writer.TryWrite(true);

    private async Task RebuildLoopAsync(CancellationToken stop)
    {
        await Task.WhenAll(Informers.Select(i => i.WaitForSyncAsync(stop))).ConfigureAwait(false);
        var time = _options.Informers.Time;
        while (!stop.IsCancellationRequested)
        {
            _dirty.Reader.TryRead(out _);
            Rebuild();
            var lastBuild = time.GetTimestamp();
            await _dirty.Reader.ReadAsync(stop).ConfigureAwait(false);
            var wait = _options.RebuildInterval - time.GetElapsedTime(lastBuild);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, stop).ConfigureAwait(false);
            }
        }
    }

    private void Rebuild()
    {
        var first = !IsReady;
        var watch = Stopwatch.StartNew();
        MeshIndex index;
        int objects;
        try
        {
            var snapshot = CreateSnapshot();
            objects = snapshot.Count;
            index = MeshIndexBuilder.Build(snapshot, _options.Mesh);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Interlocked.Increment(ref _failedReloads);
            LogRebuildFailed(_logger, e.Message);
            return;
        }

        Holder.Swap(index);
        Interlocked.Exchange(ref _lastBuildTicks, watch.Elapsed.Ticks);
        Interlocked.Increment(ref _builds);
        if (first)
        {
            if (_options.CompactAfterSync)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }

            LogReady(_logger, objects, index.Workloads.Count, index.Services.Count, watch.ElapsedMilliseconds);
            _ready.TrySetResult();
        }
        else
        {
            LogRebuilt(_logger, index.Workloads.Count, index.Services.Count, watch.ElapsedMilliseconds);
        }

        try
        {
            Reloaded?.Invoke(index);
        }
        catch (Exception e)
        {
            LogHandlerFailed(_logger, e.Message);
        }
    }
}
