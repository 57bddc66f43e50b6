using k8s;
using k8s.Models;
using LazyMesh.Istio;
using LazyMesh.Mesh;
using LazyMesh.Rendering;

namespace LazyMesh.Routing;

/// <summary>
/// Every object that sends lazy workloads' unknown HTTP calls to the fallback, for a set of generated Sidecars. Pure:
/// the fallback's Service and DestinationRule (once), then one EnvoyFilter per generated Sidecar, with the Sidecar's
/// name and selector, except in the fallback's namespace and in Istio's root namespace. Apply them in this order,
/// after the Sidecars (which import the fallback host); remove the EnvoyFilters first.
/// </summary>
public static class FallbackRoutingObjects
{
    /// <summary>The fallback's Service and DestinationRule (shared by every lazy workload).</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Shared(MeshIndex index, FallbackRoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(options);
        return [FallbackServiceRenderer.Render(index, options), FallbackDestinationRuleRenderer.Render(options)];
    }

    /// <summary>True when a workload in <paramref name="namespace"/> may get a fallback EnvoyFilter.</summary>
    public static bool IsRoutable(string @namespace, MeshIndex index, FallbackRoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(options);
        return !string.Equals(@namespace, options.Namespace, StringComparison.Ordinal)
            && !string.Equals(@namespace, index.MeshConfig.RootNamespace, StringComparison.Ordinal);
    }

    /// <summary>One EnvoyFilter per routable generated Sidecar, in the Sidecars' order.</summary>
    public static IReadOnlyList<EnvoyFilterResource> EnvoyFilters(MeshIndex index, IEnumerable<SidecarResource> sidecars, FallbackRoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(sidecars);
        ArgumentNullException.ThrowIfNull(options);
        return [.. sidecars
            .Where(s => IsRoutable(s.Metadata.NamespaceProperty, index, options))
            .Select(s => FallbackEnvoyFilterRenderer.Render(s, options, index.MeshConfig.RootNamespace))];
    }

    /// <summary>Service, DestinationRule, then the EnvoyFilters of <paramref name="sidecars"/>.</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> All(MeshIndex index, IEnumerable<DesiredSidecar> sidecars, FallbackRoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(sidecars);
        return [.. Shared(index, options), .. EnvoyFilters(index, sidecars.Select(static d => d.Sidecar), options)];
    }
}
