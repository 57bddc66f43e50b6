using System.Text.Json.Serialization;
using k8s.Models;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>A pod's phase, IPs and conditions (of which only <c>Ready</c> is kept).</summary>
public sealed class WirePodStatus
{
    [JsonPropertyName("phase")]
    [JsonConverter(typeof(PooledStringConverter))]
    public string? Phase { get; set; }

    [JsonPropertyName("podIP")]
    public string? PodIP { get; set; }

    [JsonPropertyName("podIPs")]
    public List<WirePodIP>? PodIPs { get; set; }

    [JsonPropertyName("conditions")]
    public List<WirePodCondition>? Conditions { get; set; }

    public V1PodStatus ToStatus()
    {
        var ready = Conditions?.FirstOrDefault(static c => c.Type == PodSlimmer.ReadyCondition);
        return new V1PodStatus
        {
            Phase = Phase,
            PodIP = PodIP,
            PodIPs = CachedIps(),
            Conditions = ready is null ? null : SharedShapes.ReadyCondition(ready.Type, ready.Status),
        };
    }

    /// <summary>
    /// <c>podIPs</c> as the cache keeps it: an array of exactly their number, and the <c>podIP</c> string itself where
    /// an entry repeats it (the first always does), so that a pod holds its address once.
    /// </summary>
    private V1PodIP[]? CachedIps()
    {
        if (PodIPs is null)
        {
            return null;
        }

        var ips = new V1PodIP[PodIPs.Count];
        for (var i = 0; i < ips.Length; i++)
        {
            var ip = PodIPs[i]?.Ip;
            ips[i] = new V1PodIP { Ip = ip is not null && ip == PodIP ? PodIP : ip };
        }

        return ips;
    }
}
