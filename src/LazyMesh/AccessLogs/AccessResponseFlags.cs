namespace LazyMesh.AccessLogs;

/// <summary>
/// The Envoy response flags attribution looks at: the calls a too-narrow Sidecar breaks. Envoy prints them as
/// RESPONSE_FLAGS short names (<c>NR</c>, <c>NC</c>; several joined with <c>,</c>) or RESPONSE_FLAGS_LONG names
/// (<c>NoRouteFound</c>, <c>NoClusterFound</c>), and sends them on ALS as <c>AccessLogCommon.response_flags</c>
/// (<c>no_route_found</c> = 9, <c>no_cluster_found</c> = 25 in envoyproxy/data-plane-api
/// envoy/data/accesslog/v3/accesslog.proto).
/// </summary>
[Flags]
public enum AccessResponseFlags : byte
{
    None = 0,

    /// <summary><c>NR</c>: no route configured for the request (a 404 from a sidecar that does not import the host).</summary>
    NoRouteFound = 1,

    /// <summary><c>NC</c>: the route's upstream cluster was not found (<c>503 NC cluster_not_found</c>).</summary>
    NoClusterFound = 2,
}
