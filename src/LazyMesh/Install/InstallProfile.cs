namespace LazyMesh.Install;

/// <summary>
/// Sizes for a mesh size. The controller's figures come from docs/benchmarks.md ("Kubernetes" rows: 471-491 MB
/// working set and 17-64 s from start to ready with 10k services and 50k pods on slimmed informers; about 100 MB
/// for a few hundred workloads); the fallback is a YARP proxy whose load follows first calls only.
/// </summary>
public sealed record InstallProfile
{
    /// <summary>Up to a few thousand pods.</summary>
    public static InstallProfile Small { get; } = new()
    {
        Name = "small",
        Controller = new("100m", "128Mi", "512Mi"),
        Fallback = new("50m", "64Mi", "256Mi"),
        FallbackMaxReplicas = 4,
        StartupSeconds = 120,
    };

    /// <summary>The default: up to about 20k pods.</summary>
    public static InstallProfile Medium { get; } = new()
    {
        Name = "medium",
        Controller = new("250m", "384Mi", "1Gi"),
        Fallback = new("100m", "128Mi", "512Mi"),
        FallbackMaxReplicas = 6,
        StartupSeconds = 300,
    };

    /// <summary>50k pods and 10k services (the benchmark's size): 491 MB peak working set, up to 64 s to sync on a loaded node.</summary>
    public static InstallProfile Large { get; } = new()
    {
        Name = "large",
        Controller = new("1", "768Mi", "1536Mi"),
        Fallback = new("250m", "256Mi", "1Gi"),
        FallbackMaxReplicas = 10,
        StartupSeconds = 600,
    };

    public static IReadOnlyList<InstallProfile> All { get; } = [Small, Medium, Large];

    public required string Name { get; init; }

    public required ContainerResources Controller { get; init; }

    public required ContainerResources Fallback { get; init; }

    /// <summary>The fallback HorizontalPodAutoscaler's ceiling.</summary>
    public required int FallbackMaxReplicas { get; init; }

    /// <summary>How long the controller's startupProbe waits for /healthz before liveness applies (informers syncing).</summary>
    public required int StartupSeconds { get; init; }

    public static InstallProfile? Find(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
