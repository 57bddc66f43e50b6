namespace LazyMesh.Mesh;

/// <summary>
/// One MeshConfig <c>extensionProviders[]</c> entry's service: <c>name</c>, the provider kind (<c>zipkin</c>,
/// <c>envoyExtAuthzGrpc</c>, <c>envoyHttpAls</c>, ...), <c>service</c> as written (<c>host</c> or <c>ns/host</c>)
/// and <c>port</c>.
/// </summary>
public sealed record ExtensionProviderService(string Name, string Kind, string Service, int? Port)
{
    /// <summary>The namespace part of <c>ns/host</c>, or null for a bare host.</summary>
    public string? Namespace => Service.IndexOf('/') is var slash and > 0 ? Service[..slash] : null;

    /// <summary>The host part.</summary>
    public string Host => Service.IndexOf('/') is var slash and >= 0 ? Service[(slash + 1)..] : Service;

    /// <summary>
    /// <c>ns/host</c> for a Sidecar's egress hosts: as written, else the namespace of the single Service with that
    /// host in <paramref name="index"/> (istio/istio <c>pilot/pkg/model/telemetry_logging.go LookupCluster</c>), else <c>*/host</c>.
    /// </summary>
    public string EgressHost(MeshIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (Namespace is { } ns)
        {
            return $"{ns}/{Host}";
        }

        var owner = index.FindByHost(Host);
        return owner is not null ? $"{owner.Namespace}/{Host}" : $"*/{Host}";
    }

    public override string ToString() => $"{Kind} {Name}: {Service}{(Port is { } p ? $":{p}" : string.Empty)}";
}
