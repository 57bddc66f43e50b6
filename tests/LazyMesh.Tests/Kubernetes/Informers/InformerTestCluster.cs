using k8s;
using k8s.Models;
using LazyMesh.Kubernetes.Informers;
using LazyMesh.KubeTesting;
using LazyMesh.Mesh;
using Microsoft.Extensions.Logging.Abstractions;

namespace LazyMesh.Tests.Kubernetes.Informers;

/// <summary>A KubeTestServer, a client, and a <see cref="KubernetesInventory"/> with test-speed retries; helpers that await real signals.</summary>
internal sealed class InformerTestCluster : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private InformerTestCluster(KubeTestServer server)
    {
        Server = server;
        Client = server.CreateClient();
    }

    public KubeTestServer Server { get; }

    public k8s.Kubernetes Client { get; }

    public KubernetesInventory? Inventory { get; private set; }

    public static InformerOptions FastInformers { get; } = new()
    {
        BackoffBase = TimeSpan.FromMilliseconds(50),
        BackoffCap = TimeSpan.FromMilliseconds(500),
        ResyncPeriod = TimeSpan.Zero,
    };

    public static async Task<InformerTestCluster> StartAsync(KubeTestServerOptions? options = null)
    {
        var server = new KubeTestServer(options ?? new KubeTestServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(100), InitialNamespaces = ["default", "kube-system", "lazymesh-system"] });
        await server.StartAsync();
        return new InformerTestCluster(server);
    }

    public async Task<KubernetesInventory> StartInventoryAsync(InformerOptions? informers = null)
    {
        Inventory = new KubernetesInventory(Client, new KubernetesInventoryOptions
        {
            Informers = informers ?? FastInformers,
            RebuildInterval = TimeSpan.FromMilliseconds(20),
        }, NullLogger.Instance);
        Inventory.Start();
        await Inventory.WaitForSyncAsync(CancellationToken.None).WaitAsync(Timeout);
        return Inventory;
    }

    /// <summary>Waits (on <see cref="KubernetesInventory.Reloaded"/>) until the current index satisfies <paramref name="condition"/>.</summary>
    public async Task<MeshIndex> WaitForIndexAsync(Func<MeshIndex, bool> condition)
    {
        var inventory = Inventory ?? throw new InvalidOperationException("no inventory");
        var done = new TaskCompletionSource<MeshIndex>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(MeshIndex index)
        {
            if (condition(index))
            {
                done.TrySetResult(index);
            }
        }

        inventory.Reloaded += Check;
        try
        {
            Check(inventory.Holder.Current);
            return await done.Task.WaitAsync(Timeout);
        }
        finally
        {
            inventory.Reloaded -= Check;
        }
    }

    /// <summary>
    /// Completes when each informer has received a bookmark, i.e. its watch is open on the server (the test server
    /// sends one per <see cref="KubeTestServerOptions.BookmarkInterval"/> to every open watch).
    /// </summary>
    public static async Task WatchingAsync(params IEnumerable<IInformer> informers)
    {
        var subscriptions = new List<(IInformer Informer, Action<string> Handler)>();
        var tasks = new List<Task>();
        foreach (var informer in informers)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Action<string> handler = _ => done.TrySetResult();
            informer.Bookmarked += handler;
            subscriptions.Add((informer, handler));
            tasks.Add(done.Task);
        }

        try
        {
            await Task.WhenAll(tasks).WaitAsync(Timeout);
        }
        finally
        {
            foreach (var (informer, handler) in subscriptions)
            {
                informer.Bookmarked -= handler;
            }
        }
    }

    public async Task CreateNamespaceAsync(string name) =>
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });

    /// <summary>A Deployment, its ReplicaSet and <paramref name="ips"/>.Length pods owned by it, labelled <c>app=name</c>.</summary>
    public async Task CreateDeploymentAsync(string ns, string name, params string[] ips)
    {
        var labels = new Dictionary<string, string> { ["app"] = name };
        var deployment = await Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels },
            Spec = new V1DeploymentSpec { Selector = new V1LabelSelector { MatchLabels = labels }, Template = Template(labels) },
        }, ns);
        var rsLabels = new Dictionary<string, string>(labels) { ["pod-template-hash"] = "abc" };
        var rs = await Client.AppsV1.CreateNamespacedReplicaSetAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = name + "-abc", Labels = rsLabels, OwnerReferences = [Owner("apps/v1", "Deployment", deployment.Metadata)] },
            Spec = new V1ReplicaSetSpec { Selector = new V1LabelSelector { MatchLabels = rsLabels }, Template = Template(rsLabels) },
        }, ns);
        for (var i = 0; i < ips.Length; i++)
        {
            await CreatePodAsync(ns, $"{name}-abc-{i}", ips[i], rsLabels, Owner("apps/v1", "ReplicaSet", rs.Metadata));
        }
    }

    public async Task<V1Pod> CreatePodAsync(string ns, string name, string ip, IDictionary<string, string> labels, V1OwnerReference? owner = null)
    {
        var pod = await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels, OwnerReferences = owner is null ? null : [owner] },
            // Injected, as a meshed pod is: only a pod with an istio-proxy reads a Sidecar (WorkloadAdmission.NotNarrowable).
            Spec = new V1PodSpec
            {
                Containers = [new V1Container { Name = "app", Image = "app:1", Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }] }, new V1Container { Name = "istio-proxy", Image = "proxyv2:1" }],
            },
        }, ns);
        return await Client.CoreV1.ReplaceNamespacedPodStatusAsync(new V1Pod
        {
            Metadata = pod.Metadata,
            Spec = pod.Spec,
            Status = new V1PodStatus { Phase = "Running", PodIP = ip, PodIPs = [new V1PodIP { Ip = ip }], Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] },
        }, name, ns);
    }

    public async Task CreateServiceAsync(string ns, string name, string clusterIp, string app) =>
        await Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1ServiceSpec
            {
                ClusterIP = clusterIp,
                Selector = new Dictionary<string, string> { ["app"] = app },
                Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = "http" }],
            },
        }, ns);

    public static PodInfo? PodAt(MeshIndex index, string ip)
    {
        Assert.True(IpKey.TryParse(ip, out var key));
        return index.FindPod(key, out var pod) == PodIpMatch.Pod ? pod : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (Inventory is not null)
        {
            await Inventory.DisposeAsync();
        }

        Client.Dispose();
        await Server.DisposeAsync();
    }

    private static V1PodTemplateSpec Template(IDictionary<string, string> labels) => new()
    {
        Metadata = new V1ObjectMeta { Labels = labels },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "app:1" }] },
    };

    private static V1OwnerReference Owner(string apiVersion, string kind, V1ObjectMeta owner) =>
        new() { ApiVersion = apiVersion, Kind = kind, Name = owner.Name, Uid = owner.Uid, Controller = true };
}
