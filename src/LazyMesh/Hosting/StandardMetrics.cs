using System.Reflection;
using System.Runtime.InteropServices;
using Prometheus;

namespace LazyMesh.Hosting;

/// <summary>
/// The metrics every LazyMesh process exports besides its own: <c>lazymesh_build_info</c> (1, labelled with the
/// version, the component and the .NET runtime, the convention of Prometheus' own <c>prometheus_build_info</c>) and
/// prometheus-net's process and runtime collectors (<c>process_cpu_seconds_total</c>,
/// <c>process_working_set_bytes</c>, <c>process_open_handles</c>, <c>dotnet_collection_count_total</c>,
/// <c>dotnet_total_memory_bytes</c>, ...).
/// </summary>
public static class StandardMetrics
{
    public const string BuildInfo = "lazymesh_build_info";

    /// <summary>The assembly's informational version (what <c>lazymesh version</c> prints).</summary>
    public static string Version { get; } =
        typeof(StandardMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Registers both into <paramref name="registry"/>, once per registry, for <paramref name="component"/> (controller, fallback).</summary>
    public static void Register(CollectorRegistry registry, string component)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentException.ThrowIfNullOrEmpty(component);
        var factory = Metrics.WithCustomRegistry(registry);
        factory.CreateGauge(BuildInfo, "1, labelled with this LazyMesh build's version, component and .NET runtime", "version", "component", "runtime")
            .WithLabels(Version, component, RuntimeInformation.FrameworkDescription)
            .Set(1);
        DotNetStats.Register(registry);
    }
}
