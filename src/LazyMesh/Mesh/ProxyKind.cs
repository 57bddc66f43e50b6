namespace LazyMesh.Mesh;

/// <summary>What kind of Istio data plane a pod has, as far as its spec and labels tell (<see cref="ProxyKinds.Of"/>).</summary>
public enum ProxyKind
{
    /// <summary>An injected sidecar (or nothing says otherwise): a Sidecar resource applies to it.</summary>
    Sidecar,

    /// <summary>An ingress/egress/east-west gateway (<c>router</c> proxy): Istio ignores Sidecar resources there.</summary>
    Gateway,

    /// <summary>An ambient waypoint proxy: no Sidecar applies.</summary>
    Waypoint,

    /// <summary>No <c>istio-proxy</c> container, or injection turned off: no proxy reads a Sidecar.</summary>
    NotInjected,

    /// <summary>
    /// A pod behind LazyMesh's own fallback Service (a Service labelled <c>app.kubernetes.io/managed-by: lazymesh</c>):
    /// its full scope is what makes the fallback work.
    /// </summary>
    Fallback,

    /// <summary>Captured by ambient (<c>istio.io/dataplane-mode=ambient</c>): ztunnel, not a sidecar.</summary>
    Ambient,
}
