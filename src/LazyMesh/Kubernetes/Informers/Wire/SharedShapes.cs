using k8s.Models;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>The <see cref="ShapePool{T}"/>s the slim wire models share their repeated parts through.</summary>
public static class SharedShapes
{
    public const int Capacity = 16_384;

    /// <summary>Labels and annotations.</summary>
    public static ShapePool<Dictionary<string, string>> Maps { get; } = new(OrderedMapComparer.Instance, Capacity);

    public static ShapePool<List<V1OwnerReference>> OwnerReferences { get; } = new(OwnerReferencesComparer.Instance, Capacity);

    public static ShapePool<V1PodSpec> PodSpecs { get; } = new(SlimPodSpecComparer.Instance, Capacity);

    /// <summary>The conditions a slim pod keeps: its <c>Ready</c> condition, one shared list per status.</summary>
    public static List<V1PodCondition> ReadyCondition(string? type, string? status) =>
        (type, status) switch
        {
            (PodSlimmer.ReadyCondition, "True") => ReadyTrue,
            (PodSlimmer.ReadyCondition, "False") => ReadyFalse,
            _ => [new V1PodCondition { Type = type, Status = status }],
        };

    private static readonly List<V1PodCondition> ReadyTrue = [new() { Type = PodSlimmer.ReadyCondition, Status = "True" }];
    private static readonly List<V1PodCondition> ReadyFalse = [new() { Type = PodSlimmer.ReadyCondition, Status = "False" }];
}
