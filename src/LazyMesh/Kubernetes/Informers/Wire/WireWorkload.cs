using System.Text.Json.Serialization;
using k8s.Models;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>
/// A workload controller (ReplicaSet, Deployment) as the API sends it, reduced on reading to what
/// <see cref="WorkloadSlimmer"/> keeps: metadata, <c>spec.selector</c>, <c>spec.replicas</c> and the pod template's labels.
/// </summary>
public sealed class WireWorkload : WireObject
{
    [JsonPropertyName("spec")]
    public WireWorkloadSpec? Spec { get; set; }

    /// <summary>The <see cref="V1ReplicaSet"/> <see cref="WorkloadSlimmer.Slim(V1ReplicaSet)"/> makes of the whole object.</summary>
    public V1ReplicaSet ToReplicaSet() => new()
    {
        ApiVersion = ApiVersion,
        Kind = Kind,
        Metadata = Meta(),
        Spec = new V1ReplicaSetSpec { Selector = Spec?.SharedSelector(), Replicas = Spec?.Replicas, Template = Spec?.Template?.ToTemplateLabels() },
    };

    /// <summary>The <see cref="V1Deployment"/> <see cref="WorkloadSlimmer.Slim(V1Deployment)"/> makes of the whole object.</summary>
    public V1Deployment ToDeployment() => new()
    {
        ApiVersion = ApiVersion,
        Kind = Kind,
        Metadata = Meta(),
        Spec = new V1DeploymentSpec { Selector = Spec?.SharedSelector(), Replicas = Spec?.Replicas, Template = Spec?.Template?.ToTemplateLabels() },
    };

    // WorkloadSlimmer reads the metadata of an object that always has one (the API sends it; the typed client would throw on a null).
    private V1ObjectMeta Meta() => Metadata?.ToSlim() ?? throw new System.Text.Json.JsonException($"a {Kind ?? "workload"} without metadata");
}
