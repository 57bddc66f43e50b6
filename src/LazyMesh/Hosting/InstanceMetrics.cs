using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace LazyMesh.Hosting;

/// <summary>
/// The metrics of one running instance (a controller, a fallback): its meter <c>LazyMesh.&lt;Component&gt;</c>,
/// created by the host's <see cref="IMeterFactory"/> (or one of its own), on which its parts create their
/// instruments, and the prometheus-net registry its <c>/metrics</c> exports: those instruments only
/// (<see cref="MeterPrometheusBridge"/> listens to this meter alone), plus <see cref="StandardMetrics"/>. Two
/// instances in one process never see each other's measurements, even on one factory: each meter carries its own
/// <see cref="InstanceTag"/>, so the factory (which hands out one meter per name, version and tags) never gives two
/// instances the same meter.
/// </summary>
public sealed class InstanceMetrics : IDisposable
{
    /// <summary>The meter tag that tells instances apart (a number, unique in the process).</summary>
    public const string InstanceTag = "lazymesh.instance";

    private static long _instances;

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
        var instance = Interlocked.Increment(ref _instances).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Meter = meterFactory.Create(new MeterOptions($"LazyMesh.{char.ToUpperInvariant(component[0])}{component[1..]}")
        {
            Tags = [new KeyValuePair<string, object?>(InstanceTag, instance)],
        });
        _bridge = new MeterPrometheusBridge(Registry, Meter);
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

        // A meter of the host's factory lives as long as the host otherwise; this one is not asked for again.
        Meter.Dispose();
        _services?.Dispose();
    }
}
