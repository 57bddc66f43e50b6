using System.Text.Json.Nodes;
using k8s.Models;
using LazyMesh.Istio;
using LazyMesh.Rendering;

namespace LazyMesh.Routing;

/// <summary>
/// Renders the EnvoyFilter that sends one lazy workload's unknown HTTP calls to the fallback. Pure. It selects exactly
/// the pods its generated Sidecar selects (same namespace, same name, same <c>workloadSelector</c>), so it never
/// reaches a workload LazyMesh does not manage (opted out, selected by a user's Sidecar, the fallback itself, a
/// gateway). Two patches, whatever the mesh's size: a MERGE into the catch-all route of every outbound route
/// configuration, <c>allow_any</c> (ALLOW_ANY) and <c>block_all</c> (REGISTRY_ONLY), pointing it at the single cluster
/// <see cref="FallbackRoutingOptions.RouteCluster"/> and adding headers that tell the fallback where the call was going
/// and who made it.
/// </summary>
/// <remarks>
/// Names from istio/istio <c>pilot/pkg/networking/core/httproute.go buildCatchAllVirtualHost</c>: the virtual host and
/// its one route are both <c>util.Passthrough</c> = <c>allow_any</c> (route to PassthroughCluster, timeout 0) or both
/// <c>util.BlackHole</c> = <c>block_all</c> (direct response 502). The MERGE goes through
/// <c>envoyfilter/rc_patch.go patchHTTPRoute</c> (<c>pkg/proto/merge</c>): setting <c>route</c> replaces the
/// <c>direct_response</c> of <c>block_all</c> (a oneof) with a new route action, which would get Envoy's default 15 s
/// timeout, hence <c>timeout: 0s</c> in the patch (for <c>allow_any</c> it is what Istio already sets).
/// </remarks>
public static class FallbackEnvoyFilterRenderer
{
    /// <summary>Istio's name for the catch-all virtual host and its route under ALLOW_ANY (<c>util.Passthrough</c>).</summary>
    public const string AllowAny = "allow_any";

    /// <summary>Istio's name for the catch-all virtual host and its route under REGISTRY_ONLY (<c>util.BlackHole</c>).</summary>
    public const string BlockAll = "block_all";

    /// <summary>Envoy command operator for the original destination IP:port on an outbound listener.</summary>
    public const string OriginalDestinationOperator = "%DOWNSTREAM_LOCAL_ADDRESS%";

    /// <summary>
    /// Envoy command operator for the calling application's IP: the connection's direct peer
    /// (envoyproxy/envoy <c>source/common/formatter/stream_info_formatter.cc</c>, <c>directRemoteAddress()</c>), which
    /// an application cannot change with <c>X-Forwarded-For</c> the way it can the "remote" address.
    /// </summary>
    public const string SourceAddressOperator = "%DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT%";

    /// <summary>The EnvoyFilter for the workload <paramref name="sidecar"/> (a LazyMesh-generated Sidecar) selects.</summary>
    /// <param name="rootNamespace">Istio's root namespace (MeshConfig <c>rootNamespace</c>): an EnvoyFilter there applies mesh-wide, so none is rendered there.</param>
    /// <exception cref="ArgumentException">
    /// The Sidecar has no workload selector, or lives in the fallback's namespace (its sidecar must keep passthrough) or
    /// in the root namespace.
    /// </exception>
    public static EnvoyFilterResource Render(SidecarResource sidecar, FallbackRoutingOptions options, string rootNamespace)
    {
        ArgumentNullException.ThrowIfNull(sidecar);
        return Render(sidecar.Metadata.NamespaceProperty, sidecar.Metadata.Name, sidecar.Spec.WorkloadSelector?.Labels, options, rootNamespace);
    }

    /// <summary>The EnvoyFilter named <paramref name="name"/> (the workload's Sidecar name) selecting <paramref name="selector"/>.</summary>
    /// <exception cref="ArgumentException">See <see cref="Render(SidecarResource, FallbackRoutingOptions, string)"/>.</exception>
    public static EnvoyFilterResource Render(string ns, string name, IDictionary<string, string>? selector, FallbackRoutingOptions options, string rootNamespace)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(rootNamespace);
        ArgumentException.ThrowIfNullOrEmpty(ns);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (selector is not { Count: > 0 })
        {
            throw new ArgumentException($"Workload {ns}/{name} has no workload selector: its EnvoyFilter would apply to the whole namespace.", nameof(selector));
        }

        if (string.Equals(ns, options.Namespace, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Namespace {ns} is the fallback's own: routing its unknown calls to the fallback would loop.", nameof(ns));
        }

        if (string.Equals(ns, rootNamespace, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Namespace {ns} is Istio's root namespace: an EnvoyFilter there applies to every workload of the mesh, the fallback included.", nameof(ns));
        }

        var labels = new JsonObject();
        foreach (var (key, value) in selector.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            labels[key] = value;
        }

        return new EnvoyFilterResource
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    [LazyMeshMetadata.ManagedByLabel] = LazyMeshMetadata.ManagedByValue,
                },
            },
            Spec = new JsonObject
            {
                ["workloadSelector"] = new JsonObject { ["labels"] = labels },
                ["configPatches"] = new JsonArray(Patch(AllowAny, ns, options), Patch(BlockAll, ns, options)),
            },
        };
    }

    private static JsonObject Patch(string catchAll, string @namespace, FallbackRoutingOptions options) => new()
    {
        ["applyTo"] = "HTTP_ROUTE",
        ["match"] = new JsonObject
        {
            ["context"] = "SIDECAR_OUTBOUND",
            ["routeConfiguration"] = new JsonObject
            {
                ["vhost"] = new JsonObject
                {
                    ["name"] = catchAll,
                    ["route"] = new JsonObject { ["name"] = catchAll },
                },
            },
        },
        ["patch"] = new JsonObject
        {
            ["operation"] = "MERGE",
            ["value"] = new JsonObject
            {
                ["route"] = new JsonObject { ["cluster"] = options.RouteCluster, ["timeout"] = "0s" },
                ["request_headers_to_add"] = new JsonArray(
                    Header(FallbackHeaderNames.OriginalDestination, OriginalDestinationOperator),
                    Header(FallbackHeaderNames.SourceAddress, SourceAddressOperator),
                    Header(FallbackHeaderNames.SourceNamespace, @namespace)),
            },
        },
    };

    private static JsonObject Header(string key, string value) => new()
    {
        ["header"] = new JsonObject { ["key"] = key, ["value"] = value },
        ["append_action"] = "OVERWRITE_IF_EXISTS_OR_ADD",
    };
}
