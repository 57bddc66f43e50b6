using k8s;
using LazyMesh.Kubernetes.Hosting;
using LazyMesh.Kubernetes.Informers;
using LazyMesh.Kubernetes.Leadership;
using LazyMesh.Kubernetes.Sink;
using LazyMesh.Kubernetes.State;
using LazyMesh.Learning;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Controller.Cluster;

/// <summary>
/// The controller on a cluster: inventory from informers (<see cref="KubernetesInventory"/>), learned state in
/// LazySidecar status (<see cref="StatusState"/>), objects into the API (<see cref="ApiTarget"/>). Several workers
/// (the write budget bounds the rate); ALS streams are taken once the informers synced and the state is restored, and
/// the workloads are reconciled from the queue meanwhile.
/// </summary>
public static class KubernetesMode
{
    public static ControllerMode Create(IKubernetes client, KubernetesHostOptions options, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var clock = time ?? TimeProvider.System;
        var logger = loggerFactory.CreateLogger("LazyMesh.Kubernetes");
        var settings = options.Controller;
        var inventory = new KubernetesInventory(client, new KubernetesInventoryOptions { Mesh = options.Mesh }, loggerFactory.CreateLogger("LazyMesh.Informers"));
        var store = new DependencyStore(settings.MaxHostsPerWorkload);
        var learned = new LearnedStatus(store);
        var budget = new WriteBudget(settings.WritesPerSecond, settings.WriteBurst, clock);
        var writer = new KubeWriter(client, budget, settings.Retry, clock, logger, settings.FieldManager);
        var sink = new KubernetesSink(writer, learned, settings.Sink, clock, logger);
        var source = new ApiLazySidecarSource(client);
        var leadership = settings.Leadership is { } lease ? new ControllerLeadership(client, lease, logger, clock) : null;
        return new ControllerMode
        {
            Name = "kubernetes",
            Inventory = inventory,
            Store = store,
            StartInventoryAsync = async cancellationToken =>
            {
                inventory.Start();
                await inventory.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
            },
            InventoryLoading = "the informers are syncing",
            State = new StatusState(learned, source, logger),
            Target = new ApiTarget(client, inventory, sink, source, budget, leadership, settings, logger),
            Render = settings.Sink.EffectiveRender,
            EnabledByDefault = settings.Sink.EnabledByDefault,
            Workers = settings.Sink.MaxParallelism,
            MinWriteInterval = settings.MinWriteInterval,
            AlsEndPoint = options.AlsEndPoint,
            HttpEndPoint = options.HttpEndPoint,
            Als = options.Als,
            Prometheus = options.Prometheus,
            ShutdownTimeout = options.ShutdownTimeout,
            MeterFactory = options.MeterFactory,
        };
    }
}
