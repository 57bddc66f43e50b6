using k8s.Models;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>Equal owner reference lists as <see cref="WireOwnerReference.ToOwnerReference"/> makes them (apiVersion, kind, name, uid, controller), in order.</summary>
public sealed class OwnerReferencesComparer : IEqualityComparer<List<V1OwnerReference>>
{
    public static OwnerReferencesComparer Instance { get; } = new();

    public bool Equals(List<V1OwnerReference>? x, List<V1OwnerReference>? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && x.Count == y.Count && x.Zip(y).All(static p =>
            p.First.ApiVersion == p.Second.ApiVersion && p.First.Kind == p.Second.Kind && p.First.Name == p.Second.Name
            && p.First.Uid == p.Second.Uid && p.First.Controller == p.Second.Controller));

    public int GetHashCode(List<V1OwnerReference> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var hash = new HashCode();
        foreach (var reference in obj)
        {
            hash.Add(reference.Uid, StringComparer.Ordinal);
            hash.Add(reference.Name, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }
}
