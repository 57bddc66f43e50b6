using System.Text.Json.Serialization;

namespace LazyMesh.Kubernetes.State;

public sealed class LazySidecarStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("sidecarName")]
    public string? SidecarName { get; set; }

    [JsonPropertyName("hostCount")]
    public int? HostCount { get; set; }

    [JsonPropertyName("lastLearned")]
    public LastLearnedStatus? LastLearned { get; set; }

    [JsonPropertyName("learnedHosts")]
    public IList<LearnedHostStatus>? LearnedHosts { get; set; }

    [JsonPropertyName("conditions")]
    public IList<LazySidecarCondition>? Conditions { get; set; }
}
