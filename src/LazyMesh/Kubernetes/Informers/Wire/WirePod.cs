using System.Text.Json.Serialization;
using k8s.Models;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>
/// A pod as the API sends it, reduced on reading to what <see cref="PodSlimmer"/> keeps; <see cref="ToPod"/> gives the
/// same <see cref="V1Pod"/> that <see cref="PodSlimmer.Slim"/> makes of the whole object.
/// </summary>
public sealed class WirePod : WireObject
{
    [JsonPropertyName("spec")]
    public WirePodSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public WirePodStatus? Status { get; set; }

    public V1Pod ToPod()
    {
        var containers = Spec?.Containers?
            .Where(static c => PodSlimmer.Keeps(c.Name, c.Ports?.Count ?? 0))
            .Select(static c => c.ToContainer())
            .ToList();
        return new V1Pod
        {
            ApiVersion = ApiVersion,
            Kind = Kind,
            Metadata = Metadata is null ? new V1ObjectMeta() : PodSlimmer.WithoutUid(Metadata.ToSlim()),
            // The pods of one workload have equal slim specs: they share one.
            Spec = SharedShapes.PodSpecs.Get(new V1PodSpec
            {
                HostNetwork = Spec?.HostNetwork,
                ServiceAccountName = Spec?.ServiceAccountName ?? Spec?.ServiceAccount,
                Containers = containers is { Count: > 0 } ? containers : null,
                InitContainers = PodSlimmer.NativeProxy(Spec?.InitContainers?.Select(static c => c.Name)),
            }),
            Status = Status?.ToStatus(),
        };
    }
}
