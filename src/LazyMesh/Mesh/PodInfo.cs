namespace LazyMesh.Mesh;

/// <summary>What the index keeps of a pod: only the fields attribution and reporting need.</summary>
public sealed class PodInfo
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public required IReadOnlyList<IpKey> Ips { get; init; }

    /// <summary>Kubernetes pod phase: Pending, Running, Succeeded, Failed, Unknown.</summary>
    public required string Phase { get; init; }

    /// <summary>True when the pod's Ready condition is True (or, without conditions, when it is Running).</summary>
    public bool Ready { get; init; }

    public bool HostNetwork { get; init; }

    /// <summary>
    /// <c>spec.serviceAccountName</c> (Kubernetes fills in <c>default</c> when a pod names none): the pod's mesh
    /// identity is <c>spiffe://&lt;trust domain&gt;/ns/&lt;namespace&gt;/sa/&lt;service account&gt;</c>.
    /// </summary>
    public string ServiceAccount { get; init; } = DefaultServiceAccount;

    /// <summary>The service account Kubernetes' admission assigns to a pod that names none.</summary>
    public const string DefaultServiceAccount = "default";

    /// <summary>metadata.deletionTimestamp is set.</summary>
    public bool Terminating { get; init; }

    public DateTimeOffset Created { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public required Workload Workload { get; init; }

    public override string ToString() => $"{Namespace}/{Name}";
}
