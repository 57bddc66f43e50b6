using System.Collections.Concurrent;
using LazyMesh.Controller;
using LazyMesh.Controller.Queue;
using LazyMesh.Inventory;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Routing;
using LazyMesh.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace LazyMesh.Tests.Controller;

/// <summary>
/// The one controller on in-memory mode parts and a fake clock: which keys an inventory change queues, and what the
/// final flush at shutdown does (and how long it may take).
/// </summary>
public sealed class LazyMeshControllerTests
{
    private const string Web = "shop/Pod/web";
    private const string Cart = "shop/Pod/cart";

    private const string Shop = Kubernetes.Sink.SinkHarness.Shop;

    private const string Api = """
        apiVersion: v1
        kind: Pod
        metadata: {name: api, namespace: shop, labels: {app: api}}
        status: {phase: Running, podIP: 10.0.0.3}
        """;

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task An_inventory_change_queues_the_workloads_it_affects_and_an_identical_index_queues_nothing()
    {
        var inventory = new MemoryInventory(Build(Shop));
        var target = new RecordingTarget();
        using var logs = new RecordingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var controller = new LazyMeshController(Mode(inventory, new MemoryState(), target), loggerFactory, _time);
        await controller.StartAsync();
        Assert.Equal([Cart, Web], target.Reconciled.Order(StringComparer.Ordinal));
        target.Reconciled.Clear();

        // The same index again (an informer's resync, a touched file): nothing to do.
        inventory.Publish(inventory.Holder.Current);
        await controller.Queue.WhenIdleAsync();
        Assert.Empty(target.Reconciled);
        Assert.False(controller.IsPendingWrite(Web));

        // A new workload: it is reconciled, on its own key (and whatever else the change may affect).
        var grown = Build(Shop + "\n---\n" + Api);
        var expected = MeshIndexChange.Between(inventory.Holder.Current, grown);
        inventory.Publish(grown);
        await controller.Queue.WhenIdleAsync();
        Assert.Contains("shop/Pod/api", target.Reconciled);
        if (expected.AffectedWorkloads is { } affected)
        {
            Assert.Equal(affected.Order(StringComparer.Ordinal), target.Reconciled.Order(StringComparer.Ordinal));
        }
        else
        {
            Assert.Equal(["shop/Pod/api", Cart, Web], target.Reconciled.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Stopping_flushes_what_waits_once_then_gives_the_learned_state_its_last_write()
    {
        var target = new RecordingTarget();
        var state = new MemoryState();
        await using var controller = new LazyMeshController(Mode(new MemoryInventory(Build(Shop)), state, target), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, _time);
        await controller.StartAsync();
        target.Reconciled.Clear();

        // Waiting for its interval when the stop comes: reconciled now, not an hour later.
        controller.Queue.AddAfter(ControllerKey.Workload(Web), TimeSpan.FromHours(1));
        await controller.StopAsync();

        Assert.Equal([Web], target.Reconciled);
        Assert.Equal(0, target.DutiesRun); // the compaction-like duty is not part of the flush
        Assert.Equal(1, state.Flushes);
    }

    [Fact]
    public async Task A_final_flush_that_does_not_finish_is_cut_off_at_the_shutdown_timeout()
    {
        var target = new RecordingTarget();
        var state = new MemoryState();
        using var logs = new RecordingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var controller = new LazyMeshController(Mode(new MemoryInventory(Build(Shop)), state, target), loggerFactory, _time);
        await controller.StartAsync();

        target.BlockNext = true;
        controller.Queue.AddAfter(ControllerKey.Workload(Web), TimeSpan.FromHours(1));
        var stop = controller.StopAsync();

        // The flush's deadline is armed before its first reconcile starts, so the clock moves only once it waits.
        await target.Blocked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(stop.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(10));
        await stop.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("final flush did not finish within 10000 ms", logs.Messages);
        Assert.Equal(1, state.Flushes);
    }

    [Fact]
    public async Task Health_answers_while_the_inventory_loads_readyz_says_why_and_als_streams_wait_until_ready()
    {
        var loading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var controller = new LazyMeshController(
            Mode(new MemoryInventory(Build(Shop)), new MemoryState(), new RecordingTarget(), async ct =>
            {
                loading.TrySetResult();
                await loaded.Task.WaitAsync(ct);
            }),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            _time);
        var start = controller.StartAsync();
        await loading.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The inventory is still loading: the admin listener answers already.
        using var http = new HttpClient();
        var healthz = await http.GetAsync(new Uri($"http://{controller.HttpEndPoint}/healthz"));
        Assert.Equal(System.Net.HttpStatusCode.OK, healthz.StatusCode);
        var readyz = await http.GetAsync(new Uri($"http://{controller.HttpEndPoint}/readyz"));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, readyz.StatusCode);
        Assert.Equal("not ready: the inventory is loading\n", await readyz.Content.ReadAsStringAsync());
        Assert.Contains("lazymesh_", await http.GetStringAsync(new Uri($"http://{controller.HttpEndPoint}/metrics")));

        // ALS listens on the same server but takes no stream before the learner is there: Envoy retries.
        using (var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://{controller.AlsEndPoint}"))
        {
            using var call = new LazyMesh.Als.Envoy.AccessLogService.AccessLogServiceClient(channel).StreamAccessLogs();
            var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => call.ResponseAsync);
            Assert.Equal(Grpc.Core.StatusCode.Unavailable, refused.StatusCode);
        }

        Assert.False(start.IsCompleted);

        loaded.SetResult();
        await start.WaitAsync(TimeSpan.FromSeconds(30));
        readyz = await http.GetAsync(new Uri($"http://{controller.HttpEndPoint}/readyz"));
        Assert.Equal(System.Net.HttpStatusCode.OK, readyz.StatusCode);
        Assert.Equal("ready\n", await readyz.Content.ReadAsStringAsync());
        await SendAsync(controller.AlsEndPoint);
    }

    [Fact]
    public async Task Each_route_answers_on_its_own_listener_only()
    {
        await using var controller = new LazyMeshController(Mode(new MemoryInventory(Build(Shop)), new MemoryState(), new RecordingTarget()), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, _time);
        await controller.StartAsync();
        using var h2c = new HttpClient { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await h2c.GetAsync(new Uri($"http://{controller.AlsEndPoint}/healthz"))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await h2c.GetAsync(new Uri($"http://{controller.AlsEndPoint}/metrics"))).StatusCode);

        using var http = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri($"http://{controller.HttpEndPoint}/healthz"))).StatusCode);
        var grpcPath = await http.PostAsync(new Uri($"http://{controller.HttpEndPoint}/envoy.service.accesslog.v3.AccessLogService/StreamAccessLogs"), new ByteArrayContent([]));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, grpcPath.StatusCode);
        await SendAsync(controller.AlsEndPoint);
    }

    [Fact]
    public async Task A_stop_that_hangs_ignoring_cancellation_is_cut_at_the_shutdown_timeout_and_the_run_still_returns_0()
    {
        var target = new RecordingTarget { BlockNext = true, IgnoreCancellation = true };
        var state = new MemoryState();
        using var logs = new RecordingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var sigterm = new CancellationTokenSource();

        // The first reconcile hangs for good (it ignores its token); the controller is ready meanwhile.
        var run = LazyMesh.Cli.ControllerCommand.RunAsync(
            Mode(new MemoryInventory(Build(Shop)), state, target, reconcileBeforeListening: false),
            loggerFactory,
            sigterm.Token,
            _time);
        await logs.WaitForAsync("LazyMesh controller ready");
        await target.Blocked.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // SIGTERM's equivalent: the host stops; the stop's deadline is armed before the line is logged.
        await sigterm.CancelAsync();
        await logs.WaitForAsync("LazyMesh controller stopping: final flush within 10000 ms");
        Assert.False(run.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("final flush did not finish within 10000 ms", logs.Messages);
        Assert.Equal(1, state.Flushes);
    }

    private static Task SendAsync(System.Net.IPEndPoint als) =>
        Als.AlsTestMessages.SendAsync(als, Als.AlsTestMessages.HttpMessage(Als.AlsTestMessages.Identifier("sidecar~10.0.0.9~x.shop~shop.svc.cluster.local")));

    private static MeshIndex Build(string yaml) => MeshIndexBuilder.Build(InventoryLoader.LoadText(yaml));

    private static ControllerMode Mode(MemoryInventory inventory, MemoryState state, RecordingTarget target, Func<CancellationToken, Task>? startInventory = null, bool reconcileBeforeListening = true) => new()
    {
        Name = "memory",
        Inventory = inventory,
        Store = new DependencyStore(),
        StartInventoryAsync = startInventory ?? (_ => Task.CompletedTask),
        State = state,
        Target = target,
        Render = RenderOptions.Default,
        EnabledByDefault = true,
        MinWriteInterval = TimeSpan.Zero,
        ReconcileBeforeListening = reconcileBeforeListening,
        ShutdownTimeout = TimeSpan.FromSeconds(10),
        Als = new LazyMesh.Als.AlsServerOptions { PeerVerification = LazyMesh.Als.AlsPeerVerification.None },
    };

    private sealed class MemoryInventory(MeshIndex index) : IInventorySource
    {
        public MeshIndexHolder Holder { get; } = new(index);

        public long Reloads { get; private set; }

        public long FailedReloads => 0;

        public event Action<MeshIndex>? Reloaded;

        public void Publish(MeshIndex next)
        {
            Holder.Swap(next);
            Reloads++;
            Reloaded?.Invoke(next);
        }

        public void Dispose()
        {
        }
    }

    private sealed class MemoryState : ILearnedState
    {
        public int Flushes { get; private set; }

        public IReadOnlyList<ControllerDuty> Duties { get; } = [];

        public Task RestoreAsync(DependencyStore store, CancellationToken cancellationToken) => Task.CompletedTask;

        public bool TryRecord(DependencyStore store, IReadOnlyList<PendingEdge> edges) => true;

        public ValueTask<ReconcileResult> RunDutyAsync(ControllerKey key, ControllerContext context, CancellationToken cancellationToken) => ValueTask.FromResult(ReconcileResult.Done);

        public void FlushAtExit(DependencyStore store, IReadOnlyList<PendingEdge> unrecorded) => Flushes++;

        public void AddMetrics(System.Diagnostics.Metrics.Meter meter)
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class RecordingTarget : IObjectTarget
    {
        public ConcurrentQueue<string> Reconciled { get; } = new();

        public int DutiesRun { get; private set; }

        public bool BlockNext { get; set; }

        /// <summary>The blocked reconcile hangs even when cancelled (a stuck write).</summary>
        public bool IgnoreCancellation { get; init; }

        public TaskCompletionSource Blocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Description => "memory";

        public bool IsApi => false;

        public FallbackRoutingReconciler? Routing => null;

        public IReadOnlyList<ControllerDuty> Duties { get; } = [new ControllerDuty(ControllerKey.Compaction, TimeSpan.FromHours(1))];

        public Task StartAsync(ControllerContext context, CancellationToken stopping) => Task.CompletedTask;

        public async Task<WorkloadOutcome> ReconcileAsync(MeshIndex index, Workload workload, CancellationToken cancellationToken)
        {
            Reconciled.Enqueue(workload.Key);
            if (BlockNext)
            {
                BlockNext = false;
                Blocked.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, IgnoreCancellation ? CancellationToken.None : cancellationToken);
            }

            return WorkloadOutcome.Applied;
        }

        public void Forget(string workloadKey)
        {
        }

        public string LocationOf(MeshIndex index, Workload workload) => workload.Key;

        public ValueTask<ReconcileResult> RunDutyAsync(ControllerKey key, ControllerContext context, CancellationToken cancellationToken)
        {
            DutiesRun++;
            return ValueTask.FromResult(ReconcileResult.After(TimeSpan.FromHours(1)));
        }

        public void AddMetrics(System.Diagnostics.Metrics.Meter meter)
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
