using k8s;
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
        RenderOptions options) => Render(workload, learnedHosts, staticHosts, options, baseline: null);

    /// <summary>
    /// The Sidecar for <paramref name="workload"/> in <paramref name="index"/>: its learned and static hosts expanded by
    /// <see cref="ScopeImports.Expand"/>, the ServiceEntry hosts it needs from the start
    /// (<see cref="ScopeImports.FromStart"/>), on top of the user's default Sidecar that applied to it
    /// (<see cref="MeshIndex.DefaultSidecar"/>).
    /// </summary>
    public static SidecarResource Render(
        MeshIndex index,
        Workload workload,
        IEnumerable<string> learnedHosts,
        IEnumerable<string> staticHosts,
        RenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(options);
        var known = learnedHosts.Concat(staticHosts).ToList();
        var baseline = index.DefaultSidecar(workload)?.Resource;
        var mode = baseline?.Spec.OutboundTrafficPolicy?.Mode ?? options.OutboundTrafficPolicyMode;
        var registryOnly = mode is null ? index.MeshConfig.IsRegistryOnly : string.Equals(mode, "REGISTRY_ONLY", StringComparison.Ordinal);
        var fromStart = StartImportsCache.Get(index, workload.Namespace, options.FallbackNamespace, registryOnly);
        var expanded = ScopeImports.Expand(index, workload.Namespace, known.Concat(fromStart));
        var hosts = expanded.Where(h => known.Contains(h, StringComparer.Ordinal) || SidecarHosts.IsValid(h));
        return Render(workload, hosts, [], options, baseline);
    }

    /// <summary>
    /// As <see cref="Render(Workload, IEnumerable{string}, IEnumerable{string}, RenderOptions)"/>, on top of
    /// <paramref name="baseline"/>: the user's namespace or root-namespace default Sidecar, which a workload-selected
    /// Sidecar replaces completely (push_context.go <c>doGetSidecarScope</c>). Every field it sets is carried over;
    /// its port-specific egress listeners stay as they are, and the hosts of its catch-all listener (no port) join
    /// the generated hosts. A baseline without egress contributes no hosts (its implicit <c>*/*</c> is what
    /// LazyMesh narrows); a baseline's <c>outboundTrafficPolicy</c> wins over <see cref="RenderOptions.OutboundTrafficPolicyMode"/>.
    /// </summary>
    public static SidecarResource Render(
        Workload workload,
        IEnumerable<string> learnedHosts,
        IEnumerable<string> staticHosts,
        RenderOptions options,
        SidecarResource? baseline)
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
        var spec = baseline is null ? new SidecarSpec() : CopySpec(baseline.Spec);
        var listeners = spec.Egress?.ToList() ?? [];
        var catchAll = listeners.FindLastIndex(static l => l.Extra?.ContainsKey("port") != true);
        if (catchAll >= 0)
        {
            var merged = new SortedSet<string>(listeners[catchAll].Hosts, StringComparer.Ordinal);
            merged.UnionWith(hosts);
            listeners[catchAll].Hosts = [.. merged];
        }
        else
        {
            listeners.Add(new IstioEgressListener { Hosts = hosts });
        }

        spec.WorkloadSelector = new WorkloadSelector
        {
            Labels = new SortedDictionary<string, string>(
                workload.SelectorLabels.ToDictionary(StringComparer.Ordinal), StringComparer.Ordinal),
        };
        spec.Egress = listeners;
        if (spec.OutboundTrafficPolicy is null && options.OutboundTrafficPolicyMode is { } m)
        {
            spec.OutboundTrafficPolicy = new OutboundTrafficPolicy { Mode = m };
        }

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
            Spec = spec,
        };
    }

    /// <summary>A deep copy through the resource's own JSON form, so that fields LazyMesh does not model survive.</summary>
    private static SidecarSpec CopySpec(SidecarSpec spec) =>
        KubernetesJson.Deserialize<SidecarSpec>(KubernetesJson.Serialize(spec)) ?? new SidecarSpec();

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
