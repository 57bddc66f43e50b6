using System.Net;
using LazyMesh.Als;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Routing;
using LazyMesh.Storage;

namespace LazyMesh.Controller;

/// <summary>Everything <c>lazymesh controller</c> is configured with (on files).</summary>
public sealed record ControllerOptions
{
    public required IReadOnlyList<string> InventoryPaths { get; init; }

    /// <summary>Where Sidecars are written (<c>DIR/&lt;namespace&gt;/&lt;name&gt;.yaml</c>).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Where learned state lives; default <c>OutputDirectory/.lazymesh</c>.</summary>
    public string? StateDirectory { get; init; }

    public IPEndPoint AlsEndPoint { get; init; } = new(IPAddress.Loopback, 0);

    public IPEndPoint HttpEndPoint { get; init; } = new(IPAddress.Loopback, 0);

    public AlsServerOptions Als { get; init; } = new();

    public MeshOptions Mesh { get; init; } = MeshOptions.Default;

    public RenderOptions Render { get; init; } = RenderOptions.Default;

    /// <summary>
    /// When set, the controller also writes the Istio routing objects that send unknown calls to the
    /// fallback proxy (its Service, and an EnvoyFilter per lazy namespace), and every Sidecar imports the
    /// fallback's host. Null: Sidecars only.
    /// </summary>
    public FallbackRoutingOptions? FallbackRouting { get; init; }

    /// <summary>The render options actually used: <see cref="Render"/>, plus the fallback's host when routing is on.</summary>
    public RenderOptions EffectiveRender => FallbackRouting is null ? Render : FallbackSidecarHosts.WithFallback(Render, FallbackRouting);

    /// <summary>When set, edges are also learned from Istio's metrics in this Prometheus (docs/prometheus.md).</summary>
    public MetricsSource.MetricsPollingOptions? Prometheus { get; init; }

    /// <summary>An embedding application's meter factory (<see cref="ControllerMode.MeterFactory"/>); null: the controller host's own.</summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; init; }

    public int MaxHostsPerWorkload { get; init; } = DependencyStore.DefaultMaxHostsPerWorkload;

    /// <summary>At most one write per workload per this interval; the first change is written at once.</summary>
    public TimeSpan MinWriteInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long the inventory files must be quiet before a reload.</summary>
    public TimeSpan InventoryReloadDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the journal is folded into the snapshot (which also persists last-seen times).</summary>
    public TimeSpan CompactionInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The file system the learned state (journal and snapshot) goes through; tests inject disk failures here.</summary>
    public Storage.IDurableFileSystem? StateFileSystem { get; init; }

    public string ResolvedStateDirectory => StateDirectory ?? Path.Combine(OutputDirectory, ".lazymesh");
}
