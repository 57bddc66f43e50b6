namespace LazyMesh.Rendering;

/// <summary>What every generated Sidecar gets besides the workload's own hosts.</summary>
public sealed record RenderOptions
{
    /// <summary>The default options: baseline <c>istio-system/*</c>, nothing else.</summary>
    public static RenderOptions Default { get; } = new();

    /// <summary>Hosts every generated Sidecar imports. Default <c>istio-system/*</c>.</summary>
    public IReadOnlyList<string> BaselineHosts { get; init; } = ["istio-system/*"];

    /// <summary>Labels added to every generated Sidecar; LazyMesh's own labels win on a key clash.</summary>
    public IReadOnlyDictionary<string, string> ExtraLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>Annotations added to every generated Sidecar; LazyMesh's own annotations win on a key clash.</summary>
    public IReadOnlyDictionary<string, string> ExtraAnnotations { get; init; } = new Dictionary<string, string>();

    /// <summary><c>spec.outboundTrafficPolicy.mode</c> (<c>ALLOW_ANY</c> or <c>REGISTRY_ONLY</c>); null inherits MeshConfig.</summary>
    public string? OutboundTrafficPolicyMode { get; init; }

    /// <summary>
    /// The fallback's namespace when unknown calls are routed to it (set by <c>FallbackSidecarHosts.WithFallback</c>):
    /// services its sidecar cannot see are imported from the start (<see cref="ScopeImports.FromStart"/>).
    /// </summary>
    public string? FallbackNamespace { get; init; }
}
