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
        Spec = Spec,
        Status = Status,
    };
}
