using k8s.Models;

namespace LazyMesh.Mesh;

/// <summary>
/// Chooses the labels a generated Sidecar selects a workload by: the owner's plain <c>matchLabels</c>, else the labels
/// its pods share; then narrows them so they match no other workload's pods (<see cref="Narrow"/>).
/// </summary>
internal static class WorkloadSelectors
{
    /// <summary>Pod labels that differ per revision, run or replica: never part of a workload selector.</summary>
    private static readonly string[] VaryingLabels =
    [
        "pod-template-hash", "controller-revision-hash", "controller-uid", "job-name",
        "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index", "pod-template-generation",
    ];

    /// <summary>True when <see cref="Choose"/> reads the owner's selector only, not its pods' labels.</summary>
    public static bool IsFromOwnerOnly(WorkloadOwner owner) =>
        owner.Kind != WorkloadKind.Pod && owner.Selector is { MatchLabels.Count: > 0 } selector && selector.MatchExpressions is not { Count: > 0 };

    public static (SortedDictionary<string, string> Selector, string? Note) Choose(WorkloadOwner owner, List<V1Pod> pods)
    {
        var selector = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (owner.Kind == WorkloadKind.Pod)
        {
            foreach (var (key, value) in pods[0].Metadata.Labels ?? new Dictionary<string, string>())
            {
                if (!IsVarying(key))
                {
                    selector[key] = value;
                }
            }

            return (selector, null);
        }

        if (owner.Selector is { MatchLabels.Count: > 0 } labelSelector && labelSelector.MatchExpressions is not { Count: > 0 })
        {
            foreach (var (key, value) in labelSelector.MatchLabels)
            {
                selector[key] = value;
            }

            return (selector, owner.Reason);
        }

        var why = owner.Reason ?? (owner.Selector is { MatchExpressions.Count: > 0 } ? "selector has matchExpressions" : "no matchLabels selector");
        if (pods.Count == 0)
        {
            return (selector, why);
        }

        foreach (var (key, value) in pods[0].Metadata.Labels ?? new Dictionary<string, string>())
        {
            if (!IsVarying(key) && pods.All(p => p.Metadata.Labels?.TryGetValue(key, out var v) == true && v == value))
            {
                selector[key] = value;
            }
        }

        return (selector, $"{why}; selecting by the labels its pods share ({Format(selector)})");
    }

    /// <summary>
    /// Istio applies the oldest Sidecar whose selector matches a pod (push_context.go <c>doGetSidecarScope</c>), so a
    /// generated selector must match this workload's pods only. When the owner's selector also matches other
    /// workloads' pods (<c>web</c> {app: web} and <c>web-canary</c> {app: web, track: canary}), it is extended with the
    /// pod template labels (minus per-revision ones); when even those match another workload's pods, no label set
    /// can tell them apart: warned, and the other workloads are returned so their hosts can share one Sidecar.
    /// <see cref="NarrowedSelector.MatchedOthers"/> says whether any other pod matched <paramref name="selector"/>.
    /// </summary>
    public static NarrowedSelector Narrow(
        string key,
        WorkloadOwner owner,
        List<V1Pod> ownedPods,
        SortedDictionary<string, string> selector,
        string? note,
        IEnumerable<(V1Pod Pod, IReadOnlyDictionary<string, string> Labels)> namespacePods,
        Dictionary<V1Pod, string> ownerOfPod,
        List<string> warnings)
    {
        var owned = new HashSet<V1Pod>(ownedPods, ReferenceEqualityComparer.Instance);
        // Matched against every pod of the namespace, for every workload: no list of candidates, no enumerator per match.
        var others = OtherPodsMatching(Labels.Pairs(selector), namespacePods, owned);
        if (others.Count == 0)
        {
            return new(selector, note, [], MatchedOthers: false);
        }

        var exact = new SortedDictionary<string, string>(selector, StringComparer.Ordinal);
        foreach (var (label, value) in TemplateLabels(owner, ownedPods))
        {
            exact.TryAdd(label, value);
        }

        var stillOthers = OtherPodsMatching(Labels.Pairs(exact), namespacePods, owned);
        if (stillOthers.Count == 0)
        {
            var excluded = others.Select(p => ownerOfPod.GetValueOrDefault(p.Pod) ?? p.Pod.Metadata.Name).Distinct(StringComparer.Ordinal).ToList();
            var why = $"selector {Format(selector)} also selects pods of {string.Join(", ", excluded)}; extended with pod template labels to {Format(exact)}";
            return new(exact, note is null ? why : $"{note}; {why}", [], MatchedOthers: true);
        }

        var shared = stillOthers.Select(p => ownerOfPod.GetValueOrDefault(p.Pod) ?? $"{p.Pod.Metadata.NamespaceProperty}/Pod/{p.Pod.Metadata.Name}")
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        warnings.Add($"workload {key}: no label set selects only its pods (selector {Format(exact)} also selects pods of {string.Join(", ", shared)}); their hosts share one Sidecar");
        return new(exact, note, shared, MatchedOthers: true);
    }

    /// <summary>The pods of <paramref name="namespacePods"/> outside <paramref name="owned"/> that <paramref name="selector"/> matches.</summary>
    private static List<(V1Pod Pod, IReadOnlyDictionary<string, string> Labels)> OtherPodsMatching(
        KeyValuePair<string, string>[] selector,
        IEnumerable<(V1Pod Pod, IReadOnlyDictionary<string, string> Labels)> namespacePods,
        HashSet<V1Pod> owned)
    {
        var matching = new List<(V1Pod Pod, IReadOnlyDictionary<string, string> Labels)>();
        foreach (var pod in namespacePods)
        {
            if (Labels.Matches(selector, pod.Labels) && !owned.Contains(pod.Pod))
            {
                matching.Add(pod);
            }
        }

        return matching;
    }

    public static string Format(IReadOnlyDictionary<string, string> labels) =>
        string.Join(",", labels.Select(l => $"{l.Key}={l.Value}"));

    /// <summary>The owner's pod template labels, else the labels all its pods share; per-revision labels left out.</summary>
    private static SortedDictionary<string, string> TemplateLabels(WorkloadOwner owner, List<V1Pod> pods)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (owner.TemplateLabels is { Count: > 0 } template)
        {
            foreach (var (key, value) in template)
            {
                if (!IsVarying(key))
                {
                    result[key] = value;
                }
            }

            return result;
        }

        if (pods.Count == 0)
        {
            return result;
        }

        foreach (var (key, value) in pods[0].Metadata.Labels ?? new Dictionary<string, string>())
        {
            if (!IsVarying(key) && pods.All(p => p.Metadata.Labels?.TryGetValue(key, out var v) == true && v == value))
            {
                result[key] = value;
            }
        }

        return result;
    }

    private static bool IsVarying(string label) =>
        Array.IndexOf(VaryingLabels, label) >= 0 || label.StartsWith("batch.kubernetes.io/", StringComparison.Ordinal);
}
