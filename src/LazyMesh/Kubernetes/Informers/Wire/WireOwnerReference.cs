using System.Text.Json.Serialization;
using k8s.Models;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>An owner reference as <see cref="MetadataSlimmer"/> keeps it (its strings pooled: every pod of a ReplicaSet names the same owner).</summary>
public sealed class WireOwnerReference
{
    [JsonPropertyName("apiVersion")]
    [JsonConverter(typeof(PooledStringConverter))]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    [JsonConverter(typeof(PooledStringConverter))]
    public string? Kind { get; set; }

    [JsonPropertyName("name")]
    [JsonConverter(typeof(PooledStringConverter))]
    public string? Name { get; set; }

    [JsonPropertyName("uid")]
    [JsonConverter(typeof(PooledStringConverter))]
    public string? Uid { get; set; }

    [JsonPropertyName("controller")]
    public bool? Controller { get; set; }

    public V1OwnerReference ToOwnerReference() => new() { ApiVersion = ApiVersion, Kind = Kind, Name = Name, Uid = Uid, Controller = Controller };
}
