using System.Net.Http;
using k8s;
using k8s.Models;
using LazyMesh.Kubernetes.Informers;
using LazyMesh.KubeTesting;
using LazyMesh.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using static LazyMesh.Tests.Kubernetes.Informers.InformerTestCluster;

namespace LazyMesh.Tests.Kubernetes.Informers;

/// <summary>
/// The slim read path against the (strict) test API server: an informer over <see cref="SlimResourceClient{TWire,T}"/>
/// holds exactly what an informer over the typed client with the slimmer holds, after the LIST and after each watch event.
/// </summary>
public sealed class SlimResourceClientTests
{
    [Fact]
    public async Task Pods_agree_with_the_typed_path_after_the_list_and_after_every_watch_event()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateNamespaceAsync("shop");
        await CreateRichPodAsync(cluster, "rich-0", "10.0.0.1");
        await cluster.CreatePodAsync("shop", "plain", "10.0.0.2", new Dictionary<string, string> { ["app"] = "plain" });
        await using var slim = new Informer<V1Pod>(ResourceClients.SlimPods(cluster.Client), FastInformers, NullLogger.Instance);
        await using var typed = new Informer<V1Pod>(ResourceClients.Pods(cluster.Client), FastInformers, NullLogger.Instance, PodSlimmer.Slim);
        var changes = new List<InformerChangeType>();
        slim.ObjectChanged += c => { lock (changes) { changes.Add(c.Type); } };
        await StartInformersAsync(slim, typed);

        await AgreeAsync(slim, typed, count: 2);
        Assert.Equal("10.0.0.1", Get(slim, "shop/rich-0").Status.PodIP);
        Assert.Equal(["app", "istio-proxy"], Get(slim, "shop/rich-0").Spec.Containers.Select(c => c.Name));

        // ADDED, MODIFIED (its status, then a new IP), DELETED; BOOKMARKs arrive all along (WatchingAsync waits for one).
        await WatchingAsync(slim, typed);
        await CreateRichPodAsync(cluster, "rich-1", "10.0.0.3");
        await AgreeAsync(slim, typed, count: 3, s => s.TryGet("shop/rich-1", out var p) && p.Status?.PodIP == "10.0.0.3");
        var pod = await cluster.Client.CoreV1.ReadNamespacedPodAsync("rich-1", "shop");
        pod.Status.PodIP = "10.0.0.4";
        pod.Status.PodIPs = [new V1PodIP { Ip = "10.0.0.4" }];
        await cluster.Client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, "rich-1", "shop");
        await AgreeAsync(slim, typed, count: 3, s => Get(s, "shop/rich-1").Status.PodIP == "10.0.0.4");
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("rich-1", "shop");
        await AgreeAsync(slim, typed, count: 2);

        lock (changes)
        {
            Assert.Equal(
                [InformerChangeType.Added, InformerChangeType.Added, InformerChangeType.Added, InformerChangeType.Updated, InformerChangeType.Updated, InformerChangeType.Deleted],
                changes.Order());
        }

        Assert.True(slim.Counters.Bookmarks >= 1);
        Assert.Equal((1L, 2L, 1L), (slim.Counters.Added, slim.Counters.Modified, slim.Counters.Deleted));
    }

    [Fact]
    public async Task A_410_error_event_on_the_slim_watch_relists()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateNamespaceAsync("shop");
        await using var slim = new Informer<V1Pod>(ResourceClients.SlimPods(cluster.Client), FastInformers, NullLogger.Instance);
        var relisted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        slim.Listed += () =>
        {
            if (slim.Counters.Lists > 1)
            {
                relisted.TrySetResult();
            }
        };
        slim.Start();
        await slim.WaitForSyncAsync(CancellationToken.None).WaitAsync(InformerTestCluster.Timeout);
        await WatchingAsync(slim);

        cluster.Server.Faults.FailNextWatchesWithGone(1);
        cluster.Server.Faults.DropWatches();
        await cluster.CreatePodAsync("shop", "after", "10.0.0.9", new Dictionary<string, string> { ["app"] = "x" });

        await relisted.Task.WaitAsync(InformerTestCluster.Timeout);
        Assert.True(slim.Counters.Gone >= 1);
        await AgreeAsync(slim, slim, count: 1, s => s.TryGet("shop/after", out _));
    }

    [Fact]
    public async Task Services_replicasets_and_deployments_agree_with_the_typed_path()
    {
        await using var cluster = await StartAsync();
        await cluster.CreateNamespaceAsync("shop");
        await cluster.CreateDeploymentAsync("shop", "web", "10.0.0.1");
        await cluster.CreateServiceAsync("shop", "web", "10.96.0.1", "web");
        await using var slimServices = new Informer<V1Service>(ResourceClients.SlimServices(cluster.Client), FastInformers, NullLogger.Instance);
        await using var typedServices = new Informer<V1Service>(ResourceClients.Services(cluster.Client), FastInformers, NullLogger.Instance, MetadataSlimmer.Slim);
        await using var slimReplicaSets = new Informer<V1ReplicaSet>(ResourceClients.SlimReplicaSets(cluster.Client), FastInformers, NullLogger.Instance);
        await using var typedReplicaSets = new Informer<V1ReplicaSet>(ResourceClients.ReplicaSets(cluster.Client), FastInformers, NullLogger.Instance, WorkloadSlimmer.Slim);
        await using var slimDeployments = new Informer<V1Deployment>(ResourceClients.SlimDeployments(cluster.Client), FastInformers, NullLogger.Instance);
        await using var typedDeployments = new Informer<V1Deployment>(ResourceClients.Deployments(cluster.Client), FastInformers, NullLogger.Instance, WorkloadSlimmer.Slim);
        await StartInformersAsync(slimServices, typedServices, slimReplicaSets, typedReplicaSets, slimDeployments, typedDeployments);

        await AgreeAsync(slimServices, typedServices, count: 1);
        await AgreeAsync(slimReplicaSets, typedReplicaSets, count: 1);
        await AgreeAsync(slimDeployments, typedDeployments, count: 1);
        Assert.Equal("web", Get(slimReplicaSets, "shop/web-abc").Spec.Template.Metadata.Labels["app"]);
        Assert.Equal("http", Get(slimServices, "shop/web").Spec.Ports[0].TargetPort.Value);

        // Watch events: a second workload and service, a label change, then deletions.
        await WatchingAsync(slimServices, typedServices, slimReplicaSets, typedReplicaSets, slimDeployments, typedDeployments);
        await cluster.CreateDeploymentAsync("shop", "api");
        await cluster.CreateServiceAsync("shop", "api", "10.96.0.2", "api");
        await AgreeAsync(slimServices, typedServices, count: 2);
        await AgreeAsync(slimReplicaSets, typedReplicaSets, count: 2);
        await AgreeAsync(slimDeployments, typedDeployments, count: 2);
        var service = await cluster.Client.CoreV1.ReadNamespacedServiceAsync("api", "shop");
        service.Metadata.Labels = new Dictionary<string, string> { ["tier"] = "backend" };
        await cluster.Client.CoreV1.ReplaceNamespacedServiceAsync(service, "api", "shop");
        var deployment = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("api", "shop");
        deployment.Spec.Replicas = 5;
        await cluster.Client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, "api", "shop");
        await AgreeAsync(slimServices, typedServices, count: 2, s => Get(s, "shop/api").Metadata.Labels?.ContainsKey("tier") == true);
        await AgreeAsync(slimDeployments, typedDeployments, count: 2, s => Get(s, "shop/api").Spec.Replicas == 5);
        await cluster.Client.CoreV1.DeleteNamespacedServiceAsync("api", "shop");
        await cluster.Client.AppsV1.DeleteNamespacedReplicaSetAsync("api-abc", "shop");
        await cluster.Client.AppsV1.DeleteNamespacedDeploymentAsync("api", "shop");
        await AgreeAsync(slimServices, typedServices, count: 1);
        await AgreeAsync(slimReplicaSets, typedReplicaSets, count: 1);
        await AgreeAsync(slimDeployments, typedDeployments, count: 1);
    }

    [Fact]
    public async Task A_malformed_list_page_is_a_clear_error_and_the_informer_retries()
    {
        await using var server = new KubeTestServer(new KubeTestServerOptions { InitialNamespaces = ["shop"] });
        await server.StartAsync();
        using var setup = server.CreateClient();
        await setup.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "a" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "app:1" }] },
        }, "shop");
        var corrupt = new TruncateFirstPodListHandler();
        using var client = new k8s.Kubernetes(
            new KubernetesClientConfiguration { Host = server.BaseAddress.ToString(), AccessToken = KubeTestServer.AdminToken }, corrupt);
        using var logs = new RecordingLoggerProvider();
        await using var informer = new Informer<V1Pod>(ResourceClients.SlimPods(client), FastInformers, logs.CreateLogger("informer"));

        informer.Start();
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(InformerTestCluster.Timeout);

        Assert.True(corrupt.Truncated);
        Assert.Equal(1, informer.Counters.Errors);
        var message = await logs.WaitForAsync("pods: list failed");
        Assert.Contains("LIST pods: the API server's page is not a valid pods list", message, StringComparison.Ordinal);
        Assert.Contains("retrying", message, StringComparison.Ordinal);
        Assert.True(informer.TryGet("shop/a", out _));
    }

    private static async Task CreateRichPodAsync(InformerTestCluster cluster, string name, string ip)
    {
        var full = PodSlimmerTests.FullPod();
        var created = await cluster.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = full.Metadata.Labels,
                Annotations = full.Metadata.Annotations,
                OwnerReferences = full.Metadata.OwnerReferences,
            },
            Spec = full.Spec,
        }, "shop");
        created.Status = full.Status;
        created.Status.PodIP = ip;
        created.Status.PodIPs = [new V1PodIP { Ip = ip }, new V1PodIP { Ip = "fd00::" + ip.Replace('.', ':') }];
        await cluster.Client.CoreV1.ReplaceNamespacedPodStatusAsync(created, name, "shop");
    }

    private static T Get<T>(Informer<T> informer, string key)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Assert.True(informer.TryGet(key, out var value), key);
        return value;
    }

    private static async Task StartInformersAsync(params IInformer[] informers)
    {
        foreach (var informer in informers)
        {
            informer.Start();
        }

        await Task.WhenAll(informers.Select(i => i.WaitForSyncAsync(CancellationToken.None))).WaitAsync(InformerTestCluster.Timeout);
    }

    /// <summary>
    /// Completes once both caches hold <paramref name="count"/> objects, serialize to the same JSON key by key and
    /// satisfy <paramref name="condition"/>; checked on every change of either (fails after <see cref="InformerTestCluster.Timeout"/>).
    /// </summary>
    private static async Task AgreeAsync<T>(Informer<T> slim, Informer<T> typed, int count, Func<Informer<T>, bool>? condition = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            try
            {
                if (slim.Count == count && typed.Count == count && (condition is null || condition(slim)) && Json(slim) == Json(typed))
                {
                    done.TrySetResult();
                }
            }
            catch (InvalidOperationException)
            {
                // A cache changed while it was read: the next change checks again.
            }
        }

        slim.Changed += Check;
        typed.Changed += Check;
        try
        {
            Check();
            await done.Task.WaitAsync(InformerTestCluster.Timeout);
        }
        catch (TimeoutException)
        {
            Assert.Equal(Json(typed), Json(slim));
            throw;
        }
        finally
        {
            slim.Changed -= Check;
            typed.Changed -= Check;
        }
    }

    private static string Json<T>(Informer<T> informer)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        string.Join('\n', informer.List().OrderBy(Informer<T>.KeyOf, StringComparer.Ordinal).Select(o => KubernetesJson.Serialize(o)));

    /// <summary>Cuts the first pods LIST response in half, as a broken proxy or a dropped connection would.</summary>
    private sealed class TruncateFirstPodListHandler : DelegatingHandler
    {
        private int _truncated;

        public bool Truncated => Volatile.Read(ref _truncated) == 1;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath == "/api/v1/pods" && !request.RequestUri.Query.Contains("watch=true", StringComparison.Ordinal)
                && Interlocked.Exchange(ref _truncated, 1) == 0)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                response.Content = new StringContent(body[..(body.Length / 2)], System.Text.Encoding.UTF8, "application/json");
            }

            return response;
        }
    }
}
