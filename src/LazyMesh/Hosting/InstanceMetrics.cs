using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace LazyMesh.Hosting;

/// <summary>
/// The metrics of one running instance (a controller, a fallback): its meter <c>LazyMesh.&lt;Component&gt;</c>,
/// created by its own <see cref="IMeterFactory"/> (or the host's), on which its parts create their instruments, and
/// the prometheus-net registry its <c>/metrics</c> exports: those instruments only (<see cref="MeterPrometheusBridge"/>
/// filters on the factory), plus <see cref="StandardMetrics"/>. Two instances in one process never see each other's
/// measurements.
/// </summary>
public sealed class InstanceMetrics : IDisposable
{
    private readonly ServiceProvider? _services;
    private readonly MeterPrometheusBridge _bridge;

    /// <param name="component"><c>controller</c> or <c>fallback</c>: the meter is <c>LazyMesh.Controller</c> / <c>LazyMesh.Fallback</c>, and <c>lazymesh_build_info{component}</c>.</param>
    /// <param name="meterFactory">The host's factory; null for one of this instance's own.</param>
    public InstanceMetrics(string component, IMeterFactory? meterFactory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(component);
        if (meterFactory is null)
        {
            _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
            meterFactory = _services.GetRequiredService<IMeterFactory>();
        }

        Registry = Prometheus.Metrics.NewCustomRegistry();
        _bridge = new MeterPrometheusBridge(Registry, meterFactory);
        Meter = meterFactory.Create($"LazyMesh.{char.ToUpperInvariant(component[0])}{component[1..]}");
        StandardMetrics.Register(Meter, Registry, component);
    }

    /// <summary>Where this instance's parts create their instruments.</summary>
    public Meter Meter { get; }

    /// <summary>What <c>/metrics</c> exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Writes the Prometheus text exposition (<c>/metrics</c>).</summary>
    public Task ExportAsync(Stream destination, CancellationToken cancellationToken) =>
        Registry.CollectAndExportAsTextAsync(destination, cancellationToken);

    /// <summary>The exposition as text (what a scrape returns).</summary>
    public async Task<string> ScrapeAsync(CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        await ExportAsync(buffer, cancellationToken).ConfigureAwait(false);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public void Dispose()
    {
        _bridge.Dispose();
        _services?.Dispose();
    }
}
