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
            PodIPs = PodIPs?.Select(static p => new V1PodIP { Ip = p.Ip }).ToList(),
            Conditions = ready is null ? null : SharedShapes.ReadyCondition(ready.Type, ready.Status),
        };
    }
}
