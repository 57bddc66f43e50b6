using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using LazyMesh.Mesh;

namespace LazyMesh.Attribution;

/// <summary>
/// The gateway pods of a <see cref="MeshIndex"/> (ingress, egress, east-west, Gateway API deployments), by IP and by
/// name, computed once per index and cached with it (reads are lock-free). Istio ignores Sidecars on gateways, so
/// their access-log entries are attributed to the gateway and never learned as their client's dependencies.
/// </summary>
internal sealed class GatewayPods
{
    private static readonly ConditionalWeakTable<MeshIndex, GatewayPods> Cache = new();

    private readonly FrozenSet<IpKey> _ips;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _names;

    private GatewayPods(MeshIndex index)
    {
        var pods = index.Pods.Where(IsGateway).ToList();
        _ips = pods.SelectMany(p => p.Ips).ToFrozenSet();
        _names = pods.Select(p => p.Name).ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        IsEmpty = pods.Count == 0;
    }

    /// <summary>True when the mesh has no gateway pods (then no check costs anything).</summary>
    public bool IsEmpty { get; }

    public static GatewayPods Of(MeshIndex index) => Cache.GetValue(index, static i => new GatewayPods(i));

    /// <summary>
    /// A gateway pod by its labels, as Istio's charts and its Gateway API deployment controller label them: the
    /// <c>gateway</c> chart's <c>istio: &lt;name without istio-&gt;</c> (<c>ingressgateway</c>, <c>egressgateway</c>,
    /// <c>eastwestgateway</c>: manifests/charts/gateway/templates/_helpers.tpl, <c>gateway.selectorLabels</c>), and
    /// <c>gateway.networking.k8s.io/gateway-name</c> (manifests/charts/istio-control/istio-discovery/files/kube-gateway.yaml).
    /// </summary>
    public static bool IsGateway(PodInfo pod) =>
        pod.Labels.ContainsKey("gateway.networking.k8s.io/gateway-name")
        || pod.Labels.ContainsKey("istio.io/gateway-name")
        || (pod.Labels.TryGetValue("istio", out var istio) && istio.EndsWith("gateway", StringComparison.Ordinal));

    public bool ContainsAddress(IpKey ip) => _ips.Contains(ip);

    public bool ContainsPod(ReadOnlySpan<char> name) => _names.Contains(name);
}
