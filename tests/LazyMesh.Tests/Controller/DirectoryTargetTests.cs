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
}
