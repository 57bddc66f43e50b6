using System.Diagnostics.Metrics;
using System.Reflection;
using System.Runtime.InteropServices;
using Prometheus;

namespace LazyMesh.Hosting;

/// <summary>
/// The metrics every LazyMesh process exports besides its own: <c>lazymesh_build_info</c> (1, labelled with the
/// version, the component and the .NET runtime, the convention of Prometheus' own <c>prometheus_build_info</c>) and
/// prometheus-net's process and runtime collectors (<c>process_cpu_seconds_total</c>,
/// <c>process_working_set_bytes</c>, <c>process_open_handles</c>, <c>dotnet_collection_count_total</c>,
/// <c>dotnet_total_memory_bytes</c>, ...), kept rather than the <c>System.Runtime</c> meter so that these
/// conventional names (and the dashboards built on them) stay.
/// </summary>
public static class StandardMetrics
{
    public const string BuildInfo = "lazymesh_build_info";

    /// <summary>The assembly's informational version (what <c>lazymesh version</c> prints).</summary>
    public static string Version { get; } =
        typeof(StandardMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Adds build info to <paramref name="meter"/> and the process collectors to <paramref name="registry"/>, for <paramref name="component"/> (controller, fallback).</summary>
    public static void Register(Meter meter, CollectorRegistry registry, string component)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentException.ThrowIfNullOrEmpty(component);
        var measurement = new Measurement<long>(
            1,
            new KeyValuePair<string, object?>("version", Version),
            new KeyValuePair<string, object?>("component", component),
            new KeyValuePair<string, object?>("runtime", RuntimeInformation.FrameworkDescription));
        meter.CreateObservableGauge(BuildInfo, () => measurement, description: "1, labelled with this LazyMesh build's version, component and .NET runtime");
        DotNetStats.Register(registry);
    }
}
