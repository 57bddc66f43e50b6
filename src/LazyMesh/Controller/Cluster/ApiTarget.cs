using System.Collections.Concurrent;
using k8s;
using LazyMesh.Controller.Queue;
using LazyMesh.Kubernetes.Hosting;
using LazyMesh.Kubernetes.Informers;
using LazyMesh.Kubernetes.Leadership;
using LazyMesh.Kubernetes.Sink;
using LazyMesh.Kubernetes.State;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Routing;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace LazyMesh.Controller.Cluster;

/// <summary>
/// Objects in the API server (<see cref="KubernetesSink"/>): per workload its LazySidecar, the status merge and the
/// Sidecar. Its duties: Events (every second), resync (forget applied content, queue everything), and on the leader
/// the expiry sweep (each workload then ages on its own key) and the cleanup. A generated Sidecar edited or deleted by
/// someone else, and a LazySidecar spec edit, queue their workload at once; the echoes of its own writes do not.
/// </summary>
public sealed class ApiTarget : IObjectTarget
{
    private static readonly TimeSpan EventsInterval = TimeSpan.FromSeconds(1);

    private readonly IKubernetes _client;
    private readonly KubernetesInventory _inventory;
    private readonly KubernetesSink _sink;
    private readonly ILazySidecarSource _source;
    private readonly WriteBudget _budget;
    private readonly KubernetesControllerOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, byte> _expireDue = new(StringComparer.Ordinal);
    private Informer<LazySidecarResource>? _lazySidecars;
    private Task? _leading;

    public ApiTarget(
        IKubernetes client,
        KubernetesInventory inventory,
        KubernetesSink sink,
        ILazySidecarSource source,
        WriteBudget budget,
        ControllerLeadership? leadership,
        KubernetesControllerOptions options,
        ILogger logger)
    {
        _client = client;
        _inventory = inventory;
        _sink = sink;
        _source = source;
        _budget = budget;
        Leadership = leadership;
        _options = options;
        _logger = logger;
        Duties =
        [
            new ControllerDuty(ControllerKey.Events, EventsInterval, InFinalFlush: true),
            new ControllerDuty(ControllerKey.Resync, options.ResyncInterval),
            new ControllerDuty(ControllerKey.ExpirySweep, options.LeaderDutyInterval),
            new ControllerDuty(ControllerKey.Cleanup, options.LeaderDutyInterval),
        ];
    }

    public ControllerLeadership? Leadership { get; }

    public bool IsLeader => Leadership?.IsLeader ?? true;

    public string Description => _client is k8s.Kubernetes k ? k.BaseUri.ToString() : "kubernetes";

    public bool IsApi => true;

    public FallbackRoutingReconciler? Routing => _sink.Routing;

    public IReadOnlyList<ControllerDuty> Duties { get; }

    public Task StartAsync(ControllerContext context, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(context);

        // A generated Sidecar edited or deleted by hand is applied again; the echo of our own apply is not.
        _inventory.Sidecars.ObjectChanged += change =>
        {
            if (_sink.Sidecars.OnSidecarChanged(change.Type, change.Object)
                && change.Object.Metadata.Annotations?.TryGetValue(LazyMeshMetadata.WorkloadAnnotation, out var workload) == true)
            {
                context.Enqueue(ControllerKey.Workload(workload));
            }
        };

        // A LazySidecar's spec edit (paused, ttl) takes effect at once; status merges (same generation) are echoes.
        _lazySidecars = new Informer<LazySidecarResource>(
            ResourceClients.LazySidecars<LazySidecarResource>(_client), InformerOptions.Default, _logger, MetadataSlimmer.Slim);
        _lazySidecars.ObjectChanged += change =>
        {
            if (_sink.LazySidecars.OnLazySidecarChanged(change.Type, change.Object))
            {
                context.Enqueue(ControllerKey.Workload(change.Object.WorkloadKey));
            }
        };
        _lazySidecars.Start();
        if (Leadership is { } leadership)
        {
            leadership.StartedLeading += () => context.Enqueue(ControllerKey.ExpirySweep);
            _leading = Task.Run(() => leadership.RunAsync(stopping), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public async Task<WorkloadOutcome> ReconcileAsync(MeshIndex index, Workload workload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var expire = _expireDue.TryRemove(workload.Key, out _) && IsLeader;
        try
        {
            return await _sink.Workloads.ReconcileAsync(index, workload, expire, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (expire)
            {
                _expireDue[workload.Key] = 0;
            }

            throw;
        }
    }

    public void Forget(string workloadKey) => _expireDue.TryRemove(workloadKey, out _);

    public string LocationOf(MeshIndex index, Workload workload)
    {
        var primary = DesiredStateBuilder.PrimaryOf(index, workload) ?? workload;
        return $"{primary.Namespace}/{SidecarNames.For(primary)}";
    }

    public async ValueTask<ReconcileResult> RunDutyAsync(ControllerKey key, ControllerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        switch (key.Kind)
        {
            case ControllerKeyKind.Events:
                await _sink.Events.FlushAsync(cancellationToken).ConfigureAwait(false);
                return ReconcileResult.After(EventsInterval);
            case ControllerKeyKind.Resync:
                _sink.Writer.ForgetAppliedContent();
                context.EnqueueAllWorkloads();
                return ReconcileResult.After(_options.ResyncInterval);
            case ControllerKeyKind.ExpirySweep:
                if (IsLeader)
                {
                    // Each workload ages on its own key, so expiry never runs beside another reconcile of the same workload.
                    // Only workloads with learned hosts have anything to age (LearnedStatus.HasHosts).
                    foreach (var workload in context.Index.Workloads.Where(w => _sink.Learned.HasHosts(w.Key)))
                    {
                        _expireDue[workload.Key] = 0;
                        context.Enqueue(ControllerKey.Workload(workload.Key));
                    }
                }

                return ReconcileResult.After(_options.LeaderDutyInterval);
            case ControllerKeyKind.Cleanup:
                if (IsLeader)
                {
                    await _sink.Cleanup.CleanupAsync(context.Index, _source, cancellationToken).ConfigureAwait(false);
                }

                return ReconcileResult.After(_options.LeaderDutyInterval);
            default:
                return ReconcileResult.Done;
        }
    }

    public void AddMetrics(System.Diagnostics.Metrics.Meter meter)
    {
        KubernetesMetrics.Register(meter, _sink.Stats, _budget, _inventory);
        KubernetesMetrics.RegisterLeadership(meter, Leadership);
    }

    public async ValueTask DisposeAsync()
    {
        if (_lazySidecars is not null)
        {
            await _lazySidecars.DisposeAsync().ConfigureAwait(false);
        }

        if (_leading is not null)
        {
            try
            {
                await _leading.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
