using k8s.Models;

namespace LazyMesh.Mesh;

/// <summary>
/// Which pods a Sidecar resource can narrow. Istio applies a Sidecar only to sidecar proxies: gateways run
/// <c>pilot-agent proxy router</c> (istio/istio <c>manifests/.../gateway-injection-template.yaml</c>, args
/// <c>router</c>) and get no SidecarScope from a Sidecar; waypoints are Gateway API deployments
/// (label <c>gateway.networking.k8s.io/gateway-name</c>, <c>gateway.istio.io/managed: istio.io-mesh-controller</c>);
/// ambient pods (<c>istio.io/dataplane-mode=ambient</c> on the pod or its namespace, <c>pkg/config/constants
/// DataplaneModeAmbient</c>) have no sidecar; pods with <c>sidecar.istio.io/inject: "false"</c> or without an
/// <c>istio-proxy</c> container have no proxy at all.
/// </summary>
public static class ProxyKinds
{
    public const string ProxyContainer = "istio-proxy";
    public const string InjectLabel = "sidecar.istio.io/inject";
    public const string StatusAnnotation = "sidecar.istio.io/status";
    public const string DataplaneModeLabel = "istio.io/dataplane-mode";
    public const string GatewayNameLabel = "gateway.networking.k8s.io/gateway-name";
    public const string ManagedGatewayLabel = "gateway.istio.io/managed";
    public const string MeshControllerValue = "istio.io-mesh-controller";
    public const string TemplatesAnnotation = "inject.istio.io/templates";

    /// <summary>
    /// Classifies a pod from its labels, annotations and containers (slimmed pods keep what this reads) and its
    /// namespace's labels (<paramref name="namespaceLabels"/>, for ambient enrolment).
    /// </summary>
    public static ProxyKind Of(V1Pod pod, IDictionary<string, string>? namespaceLabels = null)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var labels = pod.Metadata?.Labels ?? new Dictionary<string, string>();
        var annotations = pod.Metadata?.Annotations ?? new Dictionary<string, string>();
        if (labels.TryGetValue(ManagedGatewayLabel, out var managed) && managed == MeshControllerValue)
        {
            return ProxyKind.Waypoint;
        }

        var proxy = pod.Spec?.Containers?.FirstOrDefault(static c => c.Name == ProxyContainer)
            ?? pod.Spec?.InitContainers?.FirstOrDefault(static c => c.Name == ProxyContainer);
        if (labels.ContainsKey(GatewayNameLabel)
            || (labels.TryGetValue("istio", out var istio) && istio.EndsWith("gateway", StringComparison.Ordinal))
            || (annotations.TryGetValue(TemplatesAnnotation, out var templates) && templates.Split(',').Any(static t => t.Trim() == "gateway"))
            || proxy?.Args?.Contains("router") == true)
        {
            return ProxyKind.Gateway;
        }

        var injected = proxy is not null || annotations.ContainsKey(StatusAnnotation);
        // A pod with a sidecar is never captured by ambient; otherwise the pod's label, else its namespace's, decides.
        var mode = labels.TryGetValue(DataplaneModeLabel, out var podMode) ? podMode
            : namespaceLabels?.TryGetValue(DataplaneModeLabel, out var nsMode) == true ? nsMode : null;
        if (!injected && mode == "ambient")
        {
            return ProxyKind.Ambient;
        }

        if (IsFalse(labels, InjectLabel) || IsFalse(annotations, InjectLabel))
        {
            return injected ? ProxyKind.Sidecar : ProxyKind.NotInjected;
        }

        // Containers listed but no istio-proxy and no injection status: not injected. No containers at all (a
        // hand-written inventory): nothing says otherwise, treated as a sidecar.
        return !injected && pod.Spec?.Containers is { Count: > 0 } ? ProxyKind.NotInjected : ProxyKind.Sidecar;
    }

    /// <summary>True when the namespace enrols its pods in ambient (<c>istio.io/dataplane-mode=ambient</c>).</summary>
    public static bool IsAmbientNamespace(NamespaceInfo? ns) =>
        ns?.Labels is { } labels && labels.TryGetValue(DataplaneModeLabel, out var mode) && mode == "ambient";

    private static bool IsFalse(IDictionary<string, string> map, string key) =>
        map.TryGetValue(key, out var value) && string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);
}
