using LazyMesh.Controller;
using LazyMesh.Kubernetes.Informers;
using LazyMesh.Mesh;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Cli;

/// <summary>
/// Where <c>lazymesh fallback</c> keeps its mesh index from: inventory files (<see cref="InventoryWatcher"/>, loaded
/// at once and reloaded on change, as the controller does) or the cluster (<see cref="KubernetesInventory"/>, the
/// controller's informers; the index is empty, and /readyz 503, until they have synced).
/// </summary>
public sealed class FallbackInventory
{
    /// <summary>How long inventory files must be quiet before a reload (the controller's default).</summary>
    public static readonly TimeSpan ReloadDelay = new ControllerOptions { InventoryPaths = [], OutputDirectory = "" }.InventoryReloadDelay;

    private readonly Func<MeshOptions, ILogger, IInventorySource> _open;

    private FallbackInventory(Func<MeshOptions, ILogger, IInventorySource> open) => _open = open;

    public static FallbackInventory Files(IReadOnlyList<string> paths)
    {
        CommonOptions.RequireExisting("--inventory", paths);
        return new((mesh, logger) =>
        {
            var watcher = new InventoryWatcher(paths, mesh, ReloadDelay, logger);
            watcher.LoadAndWatch();
            return watcher;
        });
    }

    /// <summary>The cluster's API (the connection is resolved now, so a bad kubeconfig is a usage error before anything starts).</summary>
    public static FallbackInventory Cluster(string? kubeconfig, string? context)
    {
        var client = KubeClientFactory.Create(kubeconfig, context);
        return new((mesh, logger) =>
        {
            var inventory = new KubernetesInventory(client, new KubernetesInventoryOptions { Mesh = mesh }, logger);
            inventory.Start();
            return inventory;
        });
    }

    public IInventorySource Open(MeshOptions mesh, ILogger logger) => _open(mesh, logger);
}
