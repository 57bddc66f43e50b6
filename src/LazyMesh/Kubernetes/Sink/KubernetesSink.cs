using LazyMesh.Kubernetes.State;
using LazyMesh.Routing;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>
/// Where objects go on a cluster, composed once: every stage writes through one <see cref="KubeWriter"/> (write
/// budget, retries, unchanged never sent). The stages: <see cref="Workloads"/> (a workload's LazySidecar, status merge
/// and Sidecar), <see cref="Routing"/> (the fallback routing objects, in the routing order), <see cref="Cleanup"/>
/// (leader), <see cref="Events"/>, and the informer echo filters (<see cref="LazySidecars"/>, <see cref="Sidecars"/>).
/// </summary>
public sealed class KubernetesSink
{
    public KubernetesSink(KubeWriter writer, LearnedStatus learned, KubernetesSinkOptions? options = null, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(learned);
        Options = options ?? new KubernetesSinkOptions();
        var clock = time ?? TimeProvider.System;
        var log = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        Writer = writer;
        Learned = learned;
        LazySidecars = new LazySidecarObjects(writer);
        Sidecars = new GeneratedSidecars(writer);
        Events = new DependencyEventWriter(writer, Options.EventAggregationWindow, Options.Identity, clock, log);
        Routing = Options.FallbackRouting is { } routing ? new FallbackRoutingReconciler(new ApiRoutingWriter(writer), routing, log) : null;
        Workloads = new LazySidecarSink(writer, learned, LazySidecars, Sidecars, Events, Routing, Options, clock, log);
        Cleanup = new LazySidecarCleanup(writer, LazySidecars, Sidecars, learned, Routing, Options, clock, log);
    }

    public KubernetesSinkOptions Options { get; }

    public KubeWriter Writer { get; }

    public KubeSinkStats Stats => Writer.Stats;

    public LearnedStatus Learned { get; }

    public LazySidecarObjects LazySidecars { get; }

    public GeneratedSidecars Sidecars { get; }

    public DependencyEventWriter Events { get; }

    /// <summary>Null: <see cref="KubernetesSinkOptions.FallbackRouting"/> is off.</summary>
    public FallbackRoutingReconciler? Routing { get; }

    public LazySidecarSink Workloads { get; }

    public LazySidecarCleanup Cleanup { get; }
}
