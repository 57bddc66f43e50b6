using LazyMesh.Controller.Files;
using LazyMesh.Inventory;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Sinks;
using LazyMesh.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace LazyMesh.Tests.Controller;

/// <summary>Where objects go on files: one workload's reconcile, as the controller runs it per workload key.</summary>
public sealed class DirectoryTargetTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lazymesh-target-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task An_invalid_learned_host_is_dropped_with_a_warning_as_on_kubernetes()
    {
        using var logs = new RecordingLoggerProvider();
        var index = MeshIndexBuilder.Build(InventoryLoader.LoadText(Kubernetes.Sink.SinkHarness.Shop));
        var store = new DependencyStore();
        store.Learn("shop/Pod/web", "shop/cart.shop.svc.cluster.local", 1);
        store.Learn("shop/Pod/web", "Bad_NS/cart.example.com", 1);
        var target = new DirectoryTarget(new DirectorySink(_dir, durable: false), store, RenderOptions.Default, routing: null, new FakeTimeProvider(), logs.CreateLogger("test"));

        Assert.Equal(WorkloadOutcome.Applied, await target.ReconcileAsync(index, index.FindWorkload("shop/Pod/web")!, CancellationToken.None));

        var yaml = await File.ReadAllTextAsync(Path.Combine(_dir, "shop", "lazymesh-pod-web.yaml"));
        Assert.Contains("- shop/cart.shop.svc.cluster.local", yaml);
        Assert.DoesNotContain("Bad_NS", yaml);
        Assert.Contains(logs.Messages, m => m.StartsWith("shop/Pod/web: learned host 'Bad_NS/cart.example.com' dropped: namespace \"Bad_NS\"", StringComparison.Ordinal));
        Assert.Equal(WorkloadOutcome.Unchanged, await target.ReconcileAsync(index, index.FindWorkload("shop/Pod/web")!, CancellationToken.None));
    }

    [Fact]
    public async Task The_cleanup_removes_the_sidecar_of_a_workload_gone_from_the_inventory_after_its_envoyfilter()
    {
        using var logs = new RecordingLoggerProvider();
        var index = MeshIndexBuilder.Build(InventoryLoader.LoadText(Kubernetes.Sink.SinkHarness.Shop));
        var store = new DependencyStore();
        var sink = new DirectorySink(_dir, durable: false);
        var target = new DirectoryTarget(sink, store, RenderOptions.Default, LazyMesh.Routing.FallbackRoutingOptions.Default, new FakeTimeProvider(), logs.CreateLogger("test"));
        var outcomes = new Dictionary<string, WorkloadOutcome>(StringComparer.Ordinal);
        foreach (var workload in index.Workloads)
        {
            outcomes[workload.Key] = await target.ReconcileAsync(index, workload, CancellationToken.None);
        }

        await target.Routing!.ReconcileAsync(index, outcomes, CancellationToken.None);
        var web = Path.Combine(_dir, "shop", "lazymesh-pod-web.yaml");
        var webFilter = Path.Combine(_dir, "shop", "lazymesh-pod-web.envoyfilter.yaml");
        Assert.True(File.Exists(web));
        Assert.True(File.Exists(webFilter));

        // The pod web is gone; cart stays.
        var without = MeshIndexBuilder.Build(InventoryLoader.LoadText(Kubernetes.Sink.SinkHarness.Shop.Replace("metadata: {name: web,", "metadata: {name: gone,", StringComparison.Ordinal)
            .Replace("labels: {app: web}", "labels: {app: gone}", StringComparison.Ordinal)));
        var context = new LazyMesh.Controller.ControllerContext(() => without, outcomes, _ => { });
        var result = await target.RunDutyAsync(LazyMesh.Controller.Queue.ControllerKey.Cleanup, context, CancellationToken.None);

        Assert.False(File.Exists(web));
        Assert.False(File.Exists(webFilter));
        Assert.True(File.Exists(Path.Combine(_dir, "shop", "lazymesh-pod-cart.yaml")));
        Assert.NotNull(result.RequeueAfter);
        var messages = logs.Messages.ToList();
        Assert.InRange(messages.FindIndex(m => m.StartsWith("removed EnvoyFilter shop/lazymesh-pod-web", StringComparison.Ordinal)), 0, messages.FindIndex(m => m.StartsWith("removed Sidecar shop/lazymesh-pod-web", StringComparison.Ordinal)) - 1);
    }
}
