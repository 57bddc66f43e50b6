using System.Collections.Concurrent;
using LazyMesh.Inventory;
using LazyMesh.Kubernetes.Sink;
using LazyMesh.Kubernetes.State;
using LazyMesh.KubeTesting;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.Rendering;

namespace LazyMesh.Tests.Kubernetes.Sink;

/// <summary>One "replica": a store and a sink against a test API server.</summary>
internal sealed class SinkHarness : IDisposable
{
    /// <summary>The workload and the host most sink tests learn.</summary>
    public const string Web = "shop/Pod/web";

    public const string Cart = "shop/cart.shop.svc.cluster.local";

    /// <summary>
    /// A started test API server with the namespaces the inventories here declare (the server, like a real one,
    /// refuses writes into a namespace that does not exist).
    /// </summary>
    public static async Task<KubeTestServer> StartServerAsync()
    {
        var server = new KubeTestServer(new KubeTestServerOptions { InitialNamespaces = ["default", "kube-system", "shop", "other", "lazymesh-system"] });
        await server.StartAsync();
        return server;
    }

    public const string Shop = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop, labels: {lazymesh.io/enabled: "true"}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: cart, namespace: shop}
        spec: {clusterIP: 10.96.0.5, selector: {app: cart}, ports: [{name: http, port: 8080}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: shop, labels: {app: web}}
        status: {phase: Running, podIP: 10.0.0.1}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: cart, namespace: shop, labels: {app: cart}}
        status: {phase: Running, podIP: 10.0.0.2}
        """;

    public SinkHarness(KubeTestServer server, string inventory = Shop, TimeProvider? time = null, KubernetesSinkOptions? options = null, double writesPerSecond = 1000, KubeRetryOptions? retry = null, k8s.Kubernetes? client = null, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        Time = time ?? TimeProvider.System;
        Client = client ?? server.CreateClient();
        Index = MeshIndexBuilder.Build(InventoryLoader.LoadText(inventory));
        Holder = new MeshIndexHolder(Index);
        Store = new DependencyStore();
        Budget = new WriteBudget(writesPerSecond, null, Time);
        Writer = new KubeWriter(Client, Budget, retry ?? new KubeRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(200), MaxAttempts = 12 }, Time);
        Sink = new KubernetesSink(Writer, new LearnedStatus(Store, Synced), options ?? new KubernetesSinkOptions { CleanupGrace = TimeSpan.Zero }, Time, logger);
        Source = new ApiLazySidecarSource(Client);
    }

    public TimeProvider Time { get; }

    public k8s.Kubernetes Client { get; }

    public MeshIndex Index { get; set; }

    public MeshIndexHolder Holder { get; }

    public DependencyStore Store { get; }

    public SyncedHosts Synced { get; } = new();

    public WriteBudget Budget { get; }

    public KubeWriter Writer { get; }

    public KubernetesSink Sink { get; }

    public ApiLazySidecarSource Source { get; }

    public Workload Workload(string key) => Index.FindWorkload(key) ?? throw new InvalidOperationException(key);

    public Task<WorkloadOutcome> ReconcileAsync(string key, bool expire = false) => Sink.Workloads.ReconcileAsync(Index, Workload(key), expire, CancellationToken.None);

    /// <summary>
    /// What the controller does for every workload key and then the routing key: each workload reconciled (bounded
    /// parallelism), the routing objects after them from the outcomes, then the due Events; failures rethrown together.
    /// </summary>
    public async Task ReconcileAllAsync(bool expire = false)
    {
        var index = Index;
        var outcomes = new ConcurrentDictionary<string, WorkloadOutcome>(StringComparer.Ordinal);
        var errors = new ConcurrentQueue<Exception>();
        await Parallel.ForEachAsync(index.Workloads, new ParallelOptions { MaxDegreeOfParallelism = Sink.Options.MaxParallelism }, async (workload, ct) =>
        {
            try
            {
                outcomes[workload.Key] = await Sink.Workloads.ReconcileAsync(index, workload, expire, ct);
            }
            catch (Exception e)
            {
                errors.Enqueue(e);
            }
        });
        if (Sink.Routing is { } routing)
        {
            try
            {
                await routing.ReconcileAsync(index, outcomes, CancellationToken.None);
            }
            catch (Exception e)
            {
                errors.Enqueue(e);
            }
        }

        await Sink.Events.FlushAsync(CancellationToken.None);
        if (!errors.IsEmpty)
        {
            throw new AggregateException(errors);
        }
    }

    public Task<int> RestoreAsync() => Sink.Learned.RestoreAsync(Source, CancellationToken.None);

    public long Now => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public void Dispose() => Client.Dispose();
}
