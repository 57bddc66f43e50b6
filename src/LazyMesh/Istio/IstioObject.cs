using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace LazyMesh.Istio;

/// <summary>
/// The envelope every Istio (and Gateway API) object LazyMesh reads shares: <c>apiVersion</c>, <c>kind</c>,
/// <c>metadata</c> and a typed <c>spec</c>.
/// </summary>
public abstract class IstioObject<TSpec> : IKubernetesObject<V1ObjectMeta>
    where TSpec : new()
{
    protected IstioObject(string apiVersion, string kind)
    {
        ApiVersion = apiVersion;
        Kind = kind;
    }

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string Kind { get; set; }

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public TSpec Spec { get; set; } = new();
}
