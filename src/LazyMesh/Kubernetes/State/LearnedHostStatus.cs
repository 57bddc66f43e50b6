using System.Text.Json.Serialization;

namespace LazyMesh.Kubernetes.State;

/// <summary>One entry of <c>status.learnedHosts</c>; times are RFC 3339 UTC.</summary>
public sealed class LearnedHostStatus
{
    [JsonPropertyName("host")]
    public string Host { get; set; } = string.Empty;

    [JsonPropertyName("firstSeen")]
    public string FirstSeen { get; set; } = string.Empty;

    [JsonPropertyName("lastSeen")]
    public string LastSeen { get; set; } = string.Empty;

    [JsonPropertyName("expiringSince")]
    public string? ExpiringSince { get; set; }
}
