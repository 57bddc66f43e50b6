using System.Diagnostics.Metrics;
using LazyMesh.Controller.Queue;
using LazyMesh.Hosting;
using LazyMesh.Istio;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Routing;
using LazyMesh.Sinks;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Controller.Files;

/// <summary>
/// Objects on files: each workload's Sidecar rendered by <see cref="DesiredStateBuilder"/> into a
/// <see cref="DirectorySink"/> (<c>DIR/&lt;namespace&gt;/&lt;name&gt;.yaml</c>, replaced atomically, never rewritten
/// unchanged; safe for several workers), the routing objects beside them, and a cleanup duty (at start, after each
/// inventory change and every <c>cleanupInterval</c>) that removes the Sidecars of workloads gone from the inventory,
/// each after its EnvoyFilter. A workload still in the inventory has its file removed by its own key, never by the
/// cleanup, so the two never race over one file.
/// </summary>
public sealed partial class DirectoryTarget : IObjectTarget
{
    private readonly DirectorySink _sink;
    private readonly DependencyStore _store;
    private readonly RenderOptions _render;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _cleanupInterval;

    public DirectoryTarget(DirectorySink sink, DependencyStore store, RenderOptions render, FallbackRoutingOptions? routing, TimeProvider time, ILogger logger, TimeSpan? cleanupInterval = null)
    {
        _cleanupInterval = cleanupInterval ?? TimeSpan.FromMinutes(5);
        _sink = sink;
        _store = store;
        _render = render;
        _time = time;
        _logger = logger;
        Routing = routing is null ? null : new FallbackRoutingReconciler(new DirectoryRoutingWriter(sink, Writes, logger), routing, logger);
        Duties = [new ControllerDuty(ControllerKey.Cleanup, TimeSpan.Zero, FollowsInventory: true)];
    }

    public SidecarWriteStats Writes { get; } = new();

    public string Description => _sink.Root;

    public bool IsApi => false;

    public FallbackRoutingReconciler? Routing { get; }

    public IReadOnlyList<ControllerDuty> Duties { get; }

    public Task StartAsync(ControllerContext context, CancellationToken stopping) => Task.CompletedTask;

    public async Task<WorkloadOutcome> ReconcileAsync(MeshIndex index, Workload workload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(workload);
        var warnings = new List<string>();
        var desired = DesiredStateBuilder.BuildOne(
            index, workload, _store.Find(workload.Key), _render, enabledByDefault: true, warnings, out var skip, _store.Find, _time.GetUtcNow());
        RenderLog.Warnings(_logger, warnings);

        if (desired is null)
        {
            var name = SidecarNames.For(workload);
            if (Routing is not null)
            {
                await Routing.RemoveBeforeSidecarAsync(workload.Namespace, name, cancellationToken).ConfigureAwait(false);
            }

            if (skip is WorkloadSkip.Disabled or WorkloadSkip.Conflict or WorkloadSkip.Observing && KubernetesNames.IsDns1123Label(workload.Namespace))
            {
                Delete(workload.Namespace, name, "its workload no longer gets one");
            }

            return skip switch
            {
                WorkloadSkip.NoSelector => WorkloadOutcome.NoSelector,
                WorkloadSkip.Conflict => WorkloadOutcome.Conflict,
                WorkloadSkip.Observing => WorkloadOutcome.Observing,
                _ => WorkloadOutcome.Disabled,
            };
        }

        var (ns, sidecarName) = (desired.Sidecar.Metadata.NamespaceProperty, desired.Sidecar.Metadata.Name);
        WriteResult result;
        try
        {
            result = _sink.Write(desired.Sidecar);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Writes.OnFailed();
            LogWriteFailed(_logger, desired.Workload.Key, ex.Message);
            throw;
        }

        switch (result)
        {
            case WriteResult.Written:
                Writes.OnWritten();
                LogWritten(_logger, $"{ns}/{sidecarName}", desired.LearnedHosts, desired.StaticHosts);
                break;
            case WriteResult.NotOurs:
                Writes.OnNotOurs();
                DirectorySinkLog.NotOurs(_logger, SidecarResource.ResourceKind, _sink.PathFor(ns, sidecarName));
                return WorkloadOutcome.NotOurs;
            default:
                Writes.OnUnchanged();
                break;
        }

        if (desired.Workload != workload)
        {
            // Pods no label set tells apart share the primary's Sidecar: written from any member's key, routed as the
            // primary's; a Sidecar of this member's own name (from before the pods shared labels) goes.
            var own = SidecarNames.For(workload);
            if (Routing is not null)
            {
                await Routing.RemoveBeforeSidecarAsync(workload.Namespace, own, cancellationToken).ConfigureAwait(false);
            }

            Delete(workload.Namespace, own, $"its pods share the Sidecar of {desired.Workload.Key}");
            return WorkloadOutcome.Merged;
        }

        return result == WriteResult.Written ? WorkloadOutcome.Applied : WorkloadOutcome.Unchanged;
    }

    public void Forget(string workloadKey)
    {
    }

    public string LocationOf(MeshIndex index, Workload workload)
    {
        var primary = DesiredStateBuilder.PrimaryOf(index, workload) ?? workload;
        return _sink.PathFor(primary.Namespace, SidecarNames.For(primary));
    }

    public async ValueTask<ReconcileResult> RunDutyAsync(ControllerKey key, ControllerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (key != ControllerKey.Cleanup)
        {
            return ReconcileResult.Done;
        }

        // Only Sidecars no workload of the inventory is named for: a present workload's file is its own key's business.
        var keep = context.Index.Workloads.Select(static w => (w.Namespace, SidecarNames.For(w))).ToHashSet();

        foreach (var stored in _sink.ReadAll().Where(_sink.IsAtItsOwnPath))
        {
            var (ns, name) = (stored.Sidecar.Metadata.NamespaceProperty, stored.Sidecar.Metadata.Name);
            if (keep.Contains((ns, name)))
            {
                continue;
            }

            if (Routing is not null)
            {
                await Routing.RemoveBeforeSidecarAsync(ns, name, cancellationToken).ConfigureAwait(false);
            }

            Delete(ns, name, "its workload is gone from the inventory");
        }

        return ReconcileResult.After(_cleanupInterval);
    }

    public void AddMetrics(Meter meter) =>
        meter.CreateObservableCounter<long>(
            "lazymesh_sidecar_writes_total",
            MetricLabel.Counts(
                "result",
                ("written", () => Writes.Written),
                ("unchanged", () => Writes.Unchanged),
                ("deleted", () => Writes.Deleted),
                ("failed", () => Writes.Failed),
                ("not_ours", () => Writes.NotOurs)),
            description: "Sidecar sink operations by result");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Delete(string ns, string name, string reason)
    {
        if (_sink.Delete(ns, name))
        {
            Writes.OnDeleted();
            LogDeleted(_logger, $"{ns}/{name}", reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "wrote Sidecar {Sidecar} ({Learned} learned hosts, {Static} static)")]
    private static partial void LogWritten(ILogger logger, string sidecar, int learned, int @static);

    [LoggerMessage(Level = LogLevel.Information, Message = "removed Sidecar {Sidecar}: {Reason}")]
    private static partial void LogDeleted(ILogger logger, string sidecar, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "writing the Sidecar of {Workload} failed (will retry): {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string workload, string reason);
}
