using LazyMesh.Mesh;

namespace LazyMesh.Routing;

/// <summary>Where the fallback proxy runs and how lazy sidecars reach it.</summary>
public sealed record FallbackRoutingOptions
{
    public const string DefaultNamespace = "lazymesh-system";
    public const string DefaultServiceName = "lazymesh-fallback";
    public const int DefaultTargetPort = 8080;

    public static FallbackRoutingOptions Default { get; } = new();

    /// <summary>The fallback's namespace (its Service, its pods; no EnvoyFilter is ever rendered there).</summary>
    public string Namespace { get; init; } = DefaultNamespace;

    /// <summary>The fallback Service's name.</summary>
    public string ServiceName { get; init; } = DefaultServiceName;

    /// <summary>The fallback container's listen port: every Service port's targetPort.</summary>
    public int TargetPort { get; init; } = DefaultTargetPort;

    /// <summary>
    /// The Service port whose cluster (<c>outbound|RoutePort||fqdn</c>) every lazy sidecar's <c>allow_any</c> route is
    /// sent to. Always one of the Service's ports; default the target port.
    /// </summary>
    public int? RoutePort { get; init; }

    /// <summary>Labels selecting the fallback's pods.</summary>
    public IReadOnlyDictionary<string, string> PodLabels { get; init; } = new Dictionary<string, string> { ["app"] = DefaultServiceName };

    public string ClusterDomain { get; init; } = MeshOptions.DefaultClusterDomain;

    public int EffectiveRoutePort => RoutePort ?? TargetPort;

    /// <summary><c>lazymesh-fallback.lazymesh-system.svc.cluster.local</c>.</summary>
    public string Fqdn => $"{ServiceName}.{Namespace}.svc.{ClusterDomain}";

    /// <summary><c>ns/fqdn</c>: the egress host every generated Sidecar must import (add it to <c>RenderOptions.BaselineHosts</c>).</summary>
    public string SidecarHost => $"{Namespace}/{Fqdn}";

    /// <summary><c>outbound|RoutePort||fqdn</c>: the cluster lazy sidecars send unknown HTTP calls to.</summary>
    public string RouteCluster => $"outbound|{EffectiveRoutePort}||{Fqdn}";
}
