using k8s.Models;

namespace LazyMesh.Mesh;

/// <summary>What <see cref="MeshIndexUpdater"/> keeps of a Kubernetes Service that selects pods.</summary>
internal sealed class ServicePart(V1Service source, IReadOnlyDictionary<string, string> selector, int position)
{
    public V1Service Source { get; } = source;

    public IReadOnlyDictionary<string, string> Selector { get; } = selector;

    /// <summary>Its position in <see cref="MeshIndex.Services"/>.</summary>
    public int Position { get; } = position;

    public MeshService Current { get; set; } = null!;

    /// <summary>The addresses it claims (ClusterIPs by port, a headless Service's ready pod IPs).</summary>
    public List<AddressPort> Addresses { get; set; } = [];
}
