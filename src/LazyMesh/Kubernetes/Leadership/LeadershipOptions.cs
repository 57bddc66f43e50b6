namespace LazyMesh.Kubernetes.Leadership;

/// <summary>The <c>coordination.k8s.io/v1</c> Lease that elects the replica doing singleton duties (expiry, cleanup).</summary>
public sealed record LeadershipOptions
{
    public string Namespace { get; init; } = "lazymesh-system";

    public string LeaseName { get; init; } = "lazymesh-controller";

    /// <summary>This replica's identity (the pod name on a cluster).</summary>
    public string Identity { get; init; } = Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName;

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
}
