using System.Text.Json.Serialization;
using k8s.Models;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>
/// A Service as the API sends it, with its metadata reduced on reading to what <see cref="MetadataSlimmer"/> keeps
/// (<c>managedFields</c> skipped); <c>spec</c> and <c>status</c> are read whole, as the typed client reads them.
/// </summary>
public sealed class WireService : WireObject
{
    [JsonPropertyName("spec")]
    public V1ServiceSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public V1ServiceStatus? Status { get; set; }

    /// <summary>The <see cref="V1Service"/> <see cref="MetadataSlimmer.Slim{T}(T)"/> makes of the whole object.</summary>
    public V1Service ToService() => new()
    {
        ApiVersion = ApiVersion,
        Kind = Kind,
        Metadata = Metadata?.ToSlim(),
        Spec = Shared(Spec),
        Status = Status,
    };

    /// <summary>
    /// The spec with the parts that repeat across Services shared: its selector (every Service of a workload selects it
    /// alike) and its short strings (type, policies, port names and protocols); a <c>clusterIPs</c> entry
    /// that repeats <c>clusterIP</c> is the same string. The values read are unchanged.
    /// </summary>
    private static V1ServiceSpec? Shared(V1ServiceSpec? spec)
    {
        if (spec is null)
        {
            return null;
        }

        if (spec.Selector is Dictionary<string, string> selector)
        {
            spec.Selector = SharedShapes.Maps.Get(selector);
        }

        spec.Type = Pooled(spec.Type);
        spec.SessionAffinity = Pooled(spec.SessionAffinity);
        spec.IpFamilyPolicy = Pooled(spec.IpFamilyPolicy);
        spec.InternalTrafficPolicy = Pooled(spec.InternalTrafficPolicy);
        spec.ExternalTrafficPolicy = Pooled(spec.ExternalTrafficPolicy);
        if (spec.ClusterIPs is { } clusterIps)
        {
            for (var i = 0; i < clusterIps.Count; i++)
            {
                if (clusterIps[i] == spec.ClusterIP)
                {
                    clusterIps[i] = spec.ClusterIP;
                }
            }
        }

        if (spec.IpFamilies is { } families)
        {
            for (var i = 0; i < families.Count; i++)
            {
                families[i] = Pooled(families[i])!;
            }
        }

        foreach (var port in spec.Ports ?? [])
        {
            port.Name = Pooled(port.Name);
            port.Protocol = Pooled(port.Protocol);
            port.AppProtocol = Pooled(port.AppProtocol);
        }

        return spec;
    }

    private static string? Pooled(string? value) => value is null ? null : WireStrings.Get(value);
}
