using System.Collections.ObjectModel;
using LazyMesh.Kubernetes.Informers.Wire;

namespace LazyMesh.Mesh;

/// <summary>
/// The index's read-only copies of string maps (pod labels, Service selectors, owner annotations), one per distinct
/// map: the pods of a workload carry equal labels, and 50,000 pods then hold a few thousand dictionaries instead of
/// 50,000. A map already seen is found by its content without copying it again. Bounded as <see cref="ShapePool{T}"/>
/// is (copies already handed out stay valid).
/// </summary>
internal sealed class LabelSets
{
    private readonly ShapePool<Dictionary<string, string>> _pool = new(OrderedMapComparer.Instance, SharedShapes.Capacity);

    /// <summary>The shared copy of <paramref name="labels"/> (an empty one for none).</summary>
    public IReadOnlyDictionary<string, string> Get(IDictionary<string, string>? labels) => labels switch
    {
        null or { Count: 0 } => ReadOnlyDictionary<string, string>.Empty,
        Dictionary<string, string> map => _pool.Get(map, static m => new Dictionary<string, string>(m, StringComparer.Ordinal)),
        _ => _pool.Get(new Dictionary<string, string>(labels, StringComparer.Ordinal))!,
    };
}
