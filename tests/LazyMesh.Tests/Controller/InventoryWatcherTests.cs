using LazyMesh.Controller;
using LazyMesh.Mesh;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LazyMesh.Tests.Controller;

/// <summary>The inventory files' reload waits for the quiet period on the watcher's clock.</summary>
public sealed class InventoryWatcherTests : IDisposable
{
    private const string Web = """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: shop, labels: {app: web}}
        status: {phase: Running, podIP: 10.0.0.1}
        """;

    private const string Cart = """
        apiVersion: v1
        kind: Pod
        metadata: {name: cart, namespace: shop, labels: {app: cart}}
        status: {phase: Running, podIP: 10.0.0.2}
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lazymesh-watch-" + Guid.NewGuid().ToString("N"));

    public InventoryWatcherTests() => Directory.CreateDirectory(Path.Combine(_dir, "inventory"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_new_file_is_loaded_once_the_files_were_quiet_for_the_period_on_the_watchers_clock()
    {
        var inventory = Path.Combine(_dir, "inventory");
        await File.WriteAllTextAsync(Path.Combine(inventory, "web.yaml"), Web);
        var time = new FakeTimeProvider();
        using var watcher = new InventoryWatcher([inventory], MeshOptions.Default, TimeSpan.FromSeconds(5), NullLogger.Instance, time);
        Assert.Single(watcher.LoadAndWatch().Pods);
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.ChangeSeen += () => seen.TrySetResult();

        // Moved in whole from outside the watched directory: one file event.
        var staged = Path.Combine(_dir, "cart.yaml");
        await File.WriteAllTextAsync(staged, Cart);
        File.Move(staged, Path.Combine(inventory, "cart.yaml"));
        await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));

        time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, watcher.Reloads);
        Assert.Single(watcher.Holder.Current.Pods);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, watcher.Reloads);
        Assert.Equal(2, watcher.Holder.Current.Pods.Count);
    }
}
