namespace LazyMesh.Mesh;

/// <summary>
/// The parts of Istio's MeshConfig (<c>istio</c> ConfigMap, key <c>mesh</c>, in istiod's namespace; or a file) that
/// decide what a generated Sidecar must keep and how lazy sidecars route unknown calls. One model for every stage:
/// read it from <see cref="MeshIndex.MeshConfig"/>. Parsed by <see cref="MeshConfigParser"/>.
/// </summary>
/// <remarks>
/// Defaults are Istio's (istio/istio <c>pkg/config/mesh/mesh.go DefaultMeshConfig</c>): root namespace
/// <c>istio-system</c>, <c>outboundTrafficPolicy.mode: ALLOW_ANY</c>, <c>defaultServiceExportTo: ["*"]</c>, no
/// extension providers.
/// </remarks>
public sealed record MeshConfig
{
    public const string DefaultRootNamespace = "istio-system";

    /// <summary>Istio's defaults: what a mesh without an <c>istio</c> ConfigMap (or with an empty <c>mesh</c>) runs with.</summary>
    public static MeshConfig Default { get; } = new();

    /// <summary><c>rootNamespace</c>: where mesh-wide Sidecars and EnvoyFilters live (LazyMesh never writes an EnvoyFilter there).</summary>
    public string RootNamespace { get; init; } = DefaultRootNamespace;

    /// <summary><c>outboundTrafficPolicy.mode</c>: <see cref="OutboundTrafficMode.AllowAny"/> unless the mesh says <c>REGISTRY_ONLY</c>.</summary>
    public OutboundTrafficMode OutboundTrafficPolicy { get; init; } = OutboundTrafficMode.AllowAny;

    /// <summary><c>defaultServiceExportTo</c>: where a Service without <c>networking.istio.io/exportTo</c> is visible (<c>*</c>, <c>.</c>, namespaces).</summary>
    public IReadOnlyList<string> DefaultServiceExportTo { get; init; } = ["*"];

    /// <summary><c>defaultVirtualServiceExportTo</c>.</summary>
    public IReadOnlyList<string> DefaultVirtualServiceExportTo { get; init; } = ["*"];

    /// <summary><c>defaultDestinationRuleExportTo</c>.</summary>
    public IReadOnlyList<string> DefaultDestinationRuleExportTo { get; init; } = ["*"];

    /// <summary>Every <c>extensionProviders[]</c> entry that names a <c>service</c> (tracing, ext_authz, access log services).</summary>
    public IReadOnlyList<ExtensionProviderService> ExtensionProviders { get; init; } = [];

    /// <summary>Where this was read from (<c>istio-system/istio ConfigMap</c>, a file path), or null for the defaults.</summary>
    public string? Source { get; init; }

    public bool IsRegistryOnly => OutboundTrafficPolicy == OutboundTrafficMode.RegistryOnly;

    /// <summary>
    /// True when a Service without its own <c>exportTo</c> is not visible in every namespace (the mesh default is not
    /// <c>*</c>): objects LazyMesh generates for all lazy namespaces must then say <c>exportTo: "*"</c> themselves.
    /// </summary>
    public bool RestrictsServiceVisibility => !DefaultServiceExportTo.Contains("*", StringComparer.Ordinal);

    /// <summary>
    /// The Sidecar egress host (<c>ns/host</c>) of every extension provider service: <c>ns/host</c> as written, or,
    /// for a bare host name, the namespace of the one Service with that FQDN in <paramref name="index"/> (Istio's
    /// <c>model.LookupCluster</c> accepts a bare host only when exactly one namespace has it), else <c>*/host</c>.
    /// </summary>
    public IReadOnlyList<string> ExtensionProviderEgressHosts(MeshIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var hosts = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var provider in ExtensionProviders)
        {
            hosts.Add(provider.EgressHost(index));
        }

        return [.. hosts];
    }
}
