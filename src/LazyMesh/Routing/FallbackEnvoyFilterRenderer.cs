using System.Text.Json.Nodes;
using k8s.Models;
using LazyMesh.Istio;
using LazyMesh.Rendering;

namespace LazyMesh.Routing;

/// <summary>
/// Renders the EnvoyFilter that sends a lazy namespace's unknown HTTP calls to the fallback. Pure. One patch, whatever
/// the mesh's size: it MERGEs into the <c>allow_any</c> route of the <c>allow_any</c> virtual host of every outbound
/// route configuration (every port), pointing it at the single cluster <see cref="FallbackRoutingOptions.RouteCluster"/>
/// and adding headers that tell the fallback where the call was going and who made it.
/// </summary>
public static class FallbackEnvoyFilterRenderer
{
    /// <summary>Istio's name for the catch-all virtual host and its route under ALLOW_ANY (<c>util.Passthrough</c>).</summary>
    public const string AllowAny = "allow_any";

    public const string DefaultName = "lazymesh-fallback";

    /// <summary>Envoy command operator for the original destination IP:port on an outbound listener.</summary>
    public const string OriginalDestinationOperator = "%DOWNSTREAM_LOCAL_ADDRESS%";

    /// <summary>Envoy command operator for the calling application's IP.</summary>
    public const string SourceAddressOperator = "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%";

    /// <param name="namespace">The lazy namespace the filter applies to; must not be the fallback's own.</param>
    /// <param name="workloadSelector">Optional: restrict the filter to pods with these labels; null = the whole namespace.</param>
    /// <exception cref="ArgumentException">The namespace is the fallback's own (its sidecar must keep passthrough).</exception>
    public static EnvoyFilterResource Render(string @namespace, FallbackRoutingOptions options, IReadOnlyDictionary<string, string>? workloadSelector = null, string name = DefaultName)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (string.Equals(@namespace, options.Namespace, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Namespace {@namespace} is the fallback's own: routing its unknown calls to the fallback would loop.", nameof(@namespace));
        }

        var spec = new JsonObject();
        if (workloadSelector is { Count: > 0 })
        {
            var labels = new JsonObject();
            foreach (var (key, value) in workloadSelector.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                labels[key] = value;
            }

            spec["workloadSelector"] = new JsonObject { ["labels"] = labels };
        }

        spec["configPatches"] = new JsonArray(new JsonObject
        {
            ["applyTo"] = "HTTP_ROUTE",
            ["match"] = new JsonObject
            {
                ["context"] = "SIDECAR_OUTBOUND",
                ["routeConfiguration"] = new JsonObject
                {
                    ["vhost"] = new JsonObject
                    {
                        ["name"] = AllowAny,
                        ["route"] = new JsonObject { ["name"] = AllowAny },
                    },
                },
            },
            ["patch"] = new JsonObject
            {
                ["operation"] = "MERGE",
                ["value"] = new JsonObject
                {
                    ["route"] = new JsonObject { ["cluster"] = options.RouteCluster },
                    ["request_headers_to_add"] = new JsonArray(
                        Header(FallbackHeaderNames.OriginalDestination, OriginalDestinationOperator),
                        Header(FallbackHeaderNames.SourceAddress, SourceAddressOperator),
                        Header(FallbackHeaderNames.SourceNamespace, @namespace)),
                },
            },
        });

        return new EnvoyFilterResource
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = @namespace,
                Labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    [LazyMeshMetadata.ManagedByLabel] = LazyMeshMetadata.ManagedByValue,
                },
            },
            Spec = spec,
        };
    }

    private static JsonObject Header(string key, string value) => new()
    {
        ["header"] = new JsonObject { ["key"] = key, ["value"] = value },
        ["append_action"] = "OVERWRITE_IF_EXISTS_OR_ADD",
    };
}
