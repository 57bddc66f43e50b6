using k8s.Models;

namespace LazyMesh.Mesh;

/// <summary>
/// A pod's resolved top-level owner while the index is built: its object's metadata and selector when the
/// inventory has it, and why the selector cannot be used as is (<see cref="Reason"/>) when it does not.
/// </summary>
internal sealed record WorkloadOwner(WorkloadKind Kind, string Name, V1ObjectMeta? Metadata, V1LabelSelector? Selector, string? Reason)
{
    /// <summary>The owner's pod template labels, when the inventory has them.</summary>
    public IDictionary<string, string>? TemplateLabels { get; init; }
}
