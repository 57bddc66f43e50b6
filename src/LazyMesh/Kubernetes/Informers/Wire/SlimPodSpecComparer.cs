using k8s.Models;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>
/// Equal slim pod specs, comparing exactly the fields <see cref="WirePod.ToPod"/> sets: <c>hostNetwork</c>, the service
/// account, the kept containers (name, arguments, ports) and the native-proxy init container.
/// </summary>
public sealed class SlimPodSpecComparer : IEqualityComparer<V1PodSpec>
{
    public static SlimPodSpecComparer Instance { get; } = new();

    public bool Equals(V1PodSpec? x, V1PodSpec? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null
            && x.HostNetwork == y.HostNetwork
            && x.ServiceAccountName == y.ServiceAccountName
            && SameList(x.Containers, y.Containers, SameContainer)
            && SameList(x.InitContainers, y.InitContainers, SameContainer));

    public int GetHashCode(V1PodSpec obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var hash = new HashCode();
        hash.Add(obj.HostNetwork);
        hash.Add(obj.ServiceAccountName, StringComparer.Ordinal);
        foreach (var container in obj.Containers ?? [])
        {
            hash.Add(container.Name, StringComparer.Ordinal);
            hash.Add(container.Ports?.Count ?? -1);
        }

        hash.Add(obj.InitContainers?.Count ?? -1);
        return hash.ToHashCode();
    }

    private static bool SameContainer(V1Container x, V1Container y) =>
        x.Name == y.Name
        && SameList(x.Args, y.Args, static (a, b) => a == b)
        && SameList(x.Ports, y.Ports, static (a, b) => a.Name == b.Name && a.ContainerPort == b.ContainerPort && a.Protocol == b.Protocol);

    private static bool SameList<T>(IList<T>? x, IList<T>? y, Func<T, T, bool> same)
    {
        if (x is null || y is null)
        {
            return x is null && y is null;
        }

        if (x.Count != y.Count)
        {
            return false;
        }

        for (var i = 0; i < x.Count; i++)
        {
            if (!same(x[i], y[i]))
            {
                return false;
            }
        }

        return true;
    }
}
