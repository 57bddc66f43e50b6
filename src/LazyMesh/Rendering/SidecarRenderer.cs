using k8s.Models;
using LazyMesh.Istio;
using LazyMesh.Mesh;

namespace LazyMesh.Rendering;

/// <summary>Workload + hosts → the exact Sidecar that should exist for it. Pure: no I/O, no clock, no state.</summary>
public static class SidecarRenderer
{
    public const string ApiVersion = SidecarResource.Group + "/v1";

    private static readonly string[] OutboundModes = ["ALLOW_ANY", "REGISTRY_ONLY"];

    /// <summary>
    /// Renders the Sidecar for <paramref name="workload"/>: named by <see cref="SidecarNames.For"/>, selecting the
    /// workload's pods, with one egress listener whose hosts are baseline + learned + static, de-duplicated and
    /// sorted ordinally.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A host is not a valid <c>namespace/dnsName</c> (the message names every bad host and where it came from),
    /// the workload has no selector labels, or an option is invalid.
    /// </exception>
    public static SidecarResource Render(
        Workload workload,
        IEnumerable<string> learnedHosts,
        IEnumerable<string> staticHosts,
        RenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(learnedHosts);
        ArgumentNullException.ThrowIfNull(staticHosts);
        ArgumentNullException.ThrowIfNull(options);

        if (workload.SelectorLabels.Count == 0)
        {
            throw new ArgumentException(
                $"Workload {workload.Key} has no selector labels; a Sidecar without a workloadSelector would apply to the whole namespace.",
                nameof(workload));
        }

        if (options.OutboundTrafficPolicyMode is { } mode && !OutboundModes.Contains(mode, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"Outbound traffic policy mode \"{mode}\" is not one of {string.Join(", ", OutboundModes)}.",
                nameof(options));
        }

        var hosts = ComposeHosts(workload, options.BaselineHosts, learnedHosts, staticHosts);

        return new SidecarResource
        {
            ApiVersion = ApiVersion,
            Kind = SidecarResource.ResourceKind,
            Metadata = new V1ObjectMeta
            {
                Name = SidecarNames.For(workload),
                NamespaceProperty = workload.Namespace,
                Labels = BuildLabels(workload, options),
                Annotations = BuildAnnotations(workload, options),
            },
            Spec = new SidecarSpec
            {
                WorkloadSelector = new WorkloadSelector
                {
                    Labels = new SortedDictionary<string, string>(
                        workload.SelectorLabels.ToDictionary(StringComparer.Ordinal), StringComparer.Ordinal),
                },
                Egress = [new IstioEgressListener { Hosts = hosts }],
                OutboundTrafficPolicy = options.OutboundTrafficPolicyMode is { } m ? new OutboundTrafficPolicy { Mode = m } : null,
            },
        };
    }

    /// <summary>Baseline + learned + static hosts, validated, de-duplicated and sorted ordinally.</summary>
    /// <exception cref="ArgumentException">Some host is invalid; the message names each one.</exception>
    public static List<string> ComposeHosts(
        Workload workload,
        IEnumerable<string> baselineHosts,
        IEnumerable<string> learnedHosts,
        IEnumerable<string> staticHosts)
    {
        var all = new SortedSet<string>(StringComparer.Ordinal);
        var errors = new List<string>();
        Add(baselineHosts, "baseline");
        Add(learnedHosts, "learned");
        Add(staticHosts, "static");

        if (errors.Count > 0)
        {
            throw new ArgumentException(
                $"Cannot render the Sidecar for {workload.Key}: invalid egress host{(errors.Count > 1 ? "s" : "")}: {string.Join("; ", errors)}");
        }

        // A host a baseline wildcard already imports is not repeated (Istio warns on duplicated egress hosts).
        var wildcards = baselineHosts.Where(static h => h.Contains('*', StringComparison.Ordinal) && SidecarHosts.Validate(h) is null)
            .Select(static h => SidecarHostPattern.TryParse(h, out var p, out _) ? p : default)
            .ToList();
        all.RemoveWhere(host => !wildcards.Any(w => w.ToString() == host) && IsCoveredBy(wildcards, workload.Namespace, host));
        return [.. all];

        void Add(IEnumerable<string> hosts, string source)
        {
            foreach (var host in hosts)
            {
                if (SidecarHosts.Validate(host) is { } error)
                {
                    errors.Add($"{source} host \"{host}\": {error}");
                }
                else
                {
                    all.Add(host);
                }
            }
        }
    }

    /// <summary>True when one of <paramref name="patterns"/> (baseline wildcards) imports <paramref name="host"/> (<c>ns/dnsName</c>).</summary>
    private static bool IsCoveredBy(List<SidecarHostPattern> patterns, string sidecarNamespace, string host)
    {
        if (!SidecarHostPattern.TryParse(host, out var h, out _))
        {
            return false;
        }

        var hostNamespace = h.Namespace == "." ? sidecarNamespace : h.Namespace;
        foreach (var pattern in patterns)
        {
            var patternNamespace = pattern.Namespace == "." ? sidecarNamespace : pattern.Namespace;
            var namespaceCovered = patternNamespace == "*" || (hostNamespace != "*" && hostNamespace != "~" && patternNamespace == hostNamespace);
            var dnsCovered = pattern.DnsName == "*"
                || (h.DnsName.StartsWith("*.", StringComparison.Ordinal)
                    ? pattern.DnsName.StartsWith("*.", StringComparison.Ordinal) && h.DnsName.EndsWith(pattern.DnsName[1..], StringComparison.OrdinalIgnoreCase)
                    : h.DnsName != "*" && SidecarHostPattern.DnsMatches(pattern.DnsName, h.DnsName));
            if (namespaceCovered && dnsCovered)
            {
                return true;
            }
        }

        return false;
    }

    private static SortedDictionary<string, string> BuildLabels(Workload workload, RenderOptions options)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in options.ExtraLabels)
        {
            if (!KubernetesNames.IsLabelValue(value))
            {
                throw new ArgumentException($"Extra label {key}=\"{value}\" has an invalid label value.", nameof(options));
            }

            labels[key] = value;
        }

        labels[LazyMeshMetadata.ManagedByLabel] = LazyMeshMetadata.ManagedByValue;
        labels[LazyMeshMetadata.WorkloadKindLabel] = workload.Kind.ToString();
        labels[LazyMeshMetadata.WorkloadNameLabel] = KubernetesNames.ToLabelValue(workload.Name);
        return labels;
    }

    private static SortedDictionary<string, string> BuildAnnotations(Workload workload, RenderOptions options)
    {
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in options.ExtraAnnotations)
        {
            annotations[key] = value;
        }

        annotations[LazyMeshMetadata.WorkloadAnnotation] = workload.Key;
        if (!string.IsNullOrEmpty(workload.SelectorNote))
        {
            annotations[LazyMeshMetadata.SelectorNoteAnnotation] = workload.SelectorNote;
        }
        else
        {
            annotations.Remove(LazyMeshMetadata.SelectorNoteAnnotation);
        }

        return annotations;
    }
}
