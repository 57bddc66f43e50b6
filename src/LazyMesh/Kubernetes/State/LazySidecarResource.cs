using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace LazyMesh.Kubernetes.State;

/// <summary><c>lazymesh.io/v1alpha1</c> LazySidecar: LazyMesh's record of one lazy workload (deploy/crds/lazysidecars.lazymesh.io.yaml).</summary>
public sealed class LazySidecarResource : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "lazymesh.io";
    public const string Version = "v1alpha1";
    public const string ResourceKind = "LazySidecar";
    public const string Plural = "lazysidecars";
    public const string GroupVersion = Group + "/" + Version;

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GroupVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = ResourceKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public LazySidecarSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public LazySidecarStatus? Status { get; set; }

    /// <summary><c>namespace/Kind/name</c> of the workload, the key the <see cref="Learning.DependencyStore"/> uses.</summary>
    [JsonIgnore]
    public string WorkloadKey => $"{Metadata.NamespaceProperty}/{Spec.Workload.Kind}/{Spec.Workload.Name}";
}
