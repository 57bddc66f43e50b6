using System.Runtime.CompilerServices;

namespace LazyMesh.Mesh;

/// <summary>
/// What the index keeps of a pod: only the fields attribution and reporting need. A record for its copy with a new
/// <see cref="Workload"/> (<c>with</c>), compared by reference as before: two pods with equal fields are two pods.
/// </summary>
public sealed record PodInfo
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary>Its distinct IPs (an array of exactly their number: 50,000 pods hold no spare list capacity).</summary>
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

    /// <summary>Its labels, read-only: pods with equal labels share one copy (<see cref="LabelSets"/>).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public required Workload Workload { get; init; }

    /// <summary>The pod's data plane: only <see cref="ProxyKind.Sidecar"/> pods are narrowed by a Sidecar.</summary>
    public ProxyKind Proxy { get; init; }

    public bool Equals(PodInfo? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => RuntimeHelpers.GetHashCode(this);

    public override string ToString() => $"{Namespace}/{Name}";
}
