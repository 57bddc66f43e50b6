using k8s.Models;
using LazyMesh.Inventory;
using LazyMesh.Rendering;

namespace LazyMesh.Mesh;

/// <summary>
/// What the index keeps of a pod (<see cref="PodInfo"/>): its IPs, phase, readiness, identity and data plane, the
/// latter read with its namespace's labels and the LazyMesh-managed Services (a fallback pod is one they select).
/// </summary>
internal sealed class PodInfoFactory
{
    private readonly Dictionary<string, IDictionary<string, string>?> _namespaceLabels;
    private readonly List<V1Service> _managedServices;

    public PodInfoFactory(InventorySnapshot snapshot)
    {
        _namespaceLabels = snapshot.Namespaces.Where(static n => n.Metadata?.Name is not null)
            .GroupBy(static n => n.Metadata.Name, StringComparer.Ordinal)
            .ToDictionary(static g => g.Key, static IDictionary<string, string>? (g) => g.First().Metadata.Labels, StringComparer.Ordinal);
        _managedServices = [.. snapshot.Services.Where(static s => s.Metadata.Labels?.TryGetValue(LazyMeshMetadata.ManagedByLabel, out var by) == true && by == LazyMeshMetadata.ManagedByValue)];
    }

    /// <summary>The shared read-only copies of the pods' labels (what <see cref="PodInfo.Labels"/> holds).</summary>
    public LabelSets LabelSets { get; } = new();

    public PodInfo Create(V1Pod pod, Workload workload, List<string> warnings)
    {
        var ips = Ips(pod, warnings);
        var phase = pod.Status?.Phase ?? "Unknown";
        var readyCondition = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        return new PodInfo
        {
            Namespace = pod.Metadata.NamespaceProperty,
            Name = pod.Metadata.Name,
            Ips = ips,
            Phase = phase,
            Ready = readyCondition is null ? phase == "Running" : readyCondition.Status == "True",
            HostNetwork = pod.Spec?.HostNetwork == true,
            ServiceAccount = ServiceAccountOf(pod.Spec),
            Proxy = IsFallbackPod(pod) ? ProxyKind.Fallback
                : ProxyKinds.Of(pod, _namespaceLabels.GetValueOrDefault(pod.Metadata.NamespaceProperty)),
            Terminating = pod.Metadata.DeletionTimestamp is not null,
            Created = KubernetesTimestamps.ToOffset(pod.Metadata.CreationTimestamp) ?? DateTimeOffset.MinValue,
            Labels = LabelSets.Get(pod.Metadata.Labels),
            Workload = workload,
        };
    }

    /// <summary>The same pod for a new instance of its workload (the workload's pod list changed).</summary>
    public static PodInfo Rehome(PodInfo pod, Workload workload) => pod with { Workload = workload };

    /// <summary>
    /// The pod's distinct IPs, <c>status.podIPs</c> then <c>status.podIP</c>, as an array of exactly their number (the
    /// index holds one per pod); text that is not an IP address is a warning.
    /// </summary>
    private static IpKey[] Ips(V1Pod pod, List<string> warnings)
    {
        var listed = pod.Status?.PodIPs;
        var candidates = (listed?.Count ?? 0) + 1;
        Span<IpKey> found = candidates <= 8 ? stackalloc IpKey[candidates] : new IpKey[candidates];
        var count = 0;
        for (var i = 0; i < candidates; i++)
        {
            var text = i < candidates - 1 ? listed![i]?.Ip : pod.Status?.PodIP;
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            if (!IpKey.TryParse(text, out var ip))
            {
                warnings.Add($"pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}: '{text}' is not an IP address");
            }
            else if (!found[..count].Contains(ip))
            {
                found[count++] = ip;
            }
        }

        return count == 0 ? [] : found[..count].ToArray();
    }

    /// <summary><c>spec.serviceAccountName</c>, else the deprecated <c>spec.serviceAccount</c>, else <c>default</c>.</summary>
    private static string ServiceAccountOf(V1PodSpec? spec) =>
        !string.IsNullOrEmpty(spec?.ServiceAccountName) ? spec.ServiceAccountName
        : !string.IsNullOrEmpty(spec?.ServiceAccount) ? spec.ServiceAccount
        : PodInfo.DefaultServiceAccount;

    /// <summary>Selected by a LazyMesh-managed Service in its namespace (the fallback's), or the default fallback's labels in its default namespace.</summary>
    private bool IsFallbackPod(V1Pod pod)
    {
        var labels = pod.Metadata.Labels;
        if (labels is null)
        {
            return false;
        }

        if (pod.Metadata.NamespaceProperty == Routing.FallbackRoutingOptions.DefaultNamespace
            && Routing.FallbackRoutingOptions.Default.PodLabels.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value))
        {
            return true;
        }

        foreach (var service in _managedServices)
        {
            if (service.Metadata.NamespaceProperty == pod.Metadata.NamespaceProperty
                && service.Spec?.Selector is { Count: > 0 } selector
                && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value))
            {
                return true;
            }
        }

        return false;
    }
}
