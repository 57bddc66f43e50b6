namespace LazyMesh.Mesh;

/// <summary>
/// Computes <see cref="MeshIndexChange.Between"/> by parts, from what each workload's generated Sidecar reads
/// (Rendering: <c>WorkloadAdmission</c>, <c>DesiredStateBuilder</c>, <c>SidecarRenderer</c>, <c>ScopeImports</c>,
/// <c>ObservePhase</c>) and what the routing objects read (Routing: the fallback Service's HTTP ports, the root namespace):
/// <list type="bullet">
/// <item>a workload: its selector labels, annotations, pod-sharing group, whether it has pods, its pods' proxy kinds
/// and label sets (selector Sidecars and group primaries match pods' labels);</item>
/// <item>its namespace's labels and annotations (enablement, ambient, observe phase) and its namespace's user
/// Sidecars (conflicts, the default baseline); the root namespace's user Sidecars apply to every workload;</item>
/// <item>destinations: every workload's start imports read every ServiceEntry and every Service hidden from some
/// namespace, and the MeshConfig extension providers' services; other Services matter only to workloads that import
/// their host (or an alias or VirtualService of it);</item>
/// <item>MeshConfig, the options and VirtualServices: every workload.</item>
/// </list>
/// Pod IPs, phases, readiness, ready endpoint counts and addresses feed attribution, never a generated object.
/// </summary>
internal static class MeshIndexDiff
{
    public static MeshIndexChange Between(MeshIndex before, MeshIndex after)
    {
        if (!Equals(before.Options, after.Options) || !SameMeshConfig(before.MeshConfig, after.MeshConfig) ||
            !SameSequence(before.VirtualServices, after.VirtualServices, Signature))
        {
            return MeshIndexChange.Everything;
        }

        var affected = new SortedSet<string>(StringComparer.Ordinal);
        var routing = false;
        var namespaces = ChangedNamespaces(before, after);
        routing |= namespaces.Count > 0;
        if (ChangedUserSidecarNamespaces(before, after) is not { } sidecarNamespaces)
        {
            return MeshIndexChange.Everything;
        }

        namespaces.UnionWith(sidecarNamespaces);
        if (namespaces.Count > 0)
        {
            foreach (var workload in before.Workloads.Concat(after.Workloads))
            {
                if (namespaces.Contains(workload.Namespace))
                {
                    affected.Add(workload.Key);
                }
            }
        }

        var changedWorkloads = ChangedWorkloads(before, after);
        affected.UnionWith(changedWorkloads);
        AddGroups(before, changedWorkloads, affected);
        AddGroups(after, changedWorkloads, affected);

        if (ChangedHosts(before, after, ref routing) is not { } hosts)
        {
            return MeshIndexChange.Everything;
        }

        return new MeshIndexChange(affected, routing || affected.Count > 0) { ChangedHosts = hosts };
    }

    private static SortedSet<string> ChangedNamespaces(MeshIndex before, MeshIndex after)
    {
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        if (ReferenceEquals(before.Namespaces, after.Namespaces))
        {
            return changed;
        }

        var old = before.Namespaces.ToDictionary(static n => n.Name, StringComparer.Ordinal);
        foreach (var ns in after.Namespaces)
        {
            if (!old.Remove(ns.Name, out var previous) || !SameMap(previous.Labels, ns.Labels) || !SameMap(previous.Annotations, ns.Annotations))
            {
                changed.Add(ns.Name);
            }
        }

        changed.UnionWith(old.Keys);
        return changed;
    }

    /// <summary>Namespaces whose user-written Sidecars changed; null when the root namespace's did (every workload).</summary>
    private static SortedSet<string>? ChangedUserSidecarNamespaces(MeshIndex before, MeshIndex after)
    {
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        if (ReferenceEquals(before.Sidecars, after.Sidecars))
        {
            return changed;
        }

        var old = before.Sidecars.Where(static s => !s.ManagedByLazyMesh).ToDictionary(static s => $"{s.Namespace}/{s.Name}", StringComparer.Ordinal);
        foreach (var sidecar in after.Sidecars.Where(static s => !s.ManagedByLazyMesh))
        {
            if (!old.Remove($"{sidecar.Namespace}/{sidecar.Name}", out var previous) || !SameSidecar(previous, sidecar))
            {
                changed.Add(sidecar.Namespace);
            }
        }

        changed.UnionWith(old.Values.Select(static s => s.Namespace));
        return changed.Contains(before.MeshConfig.RootNamespace) || changed.Contains(after.MeshConfig.RootNamespace) ? null : changed;
    }

    private static SortedSet<string> ChangedWorkloads(MeshIndex before, MeshIndex after)
    {
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        if (ReferenceEquals(before.Workloads, after.Workloads))
        {
            return changed;
        }

        var sameOrder = before.Workloads.Count == after.Workloads.Count;
        for (var i = 0; sameOrder && i < after.Workloads.Count; i++)
        {
            var (old, current) = (before.Workloads[i], after.Workloads[i]);
            if (old.Key != current.Key)
            {
                sameOrder = false;
            }
            else if (!ReferenceEquals(old, current) && !SameWorkload(old, current))
            {
                changed.Add(current.Key);
            }
        }

        if (sameOrder)
        {
            return changed;
        }

        changed.Clear();
        var previous = before.Workloads.ToDictionary(static w => w.Key, StringComparer.Ordinal);
        foreach (var workload in after.Workloads)
        {
            if (!previous.Remove(workload.Key, out var old) || !SameWorkload(old, workload))
            {
                changed.Add(workload.Key);
            }
        }

        changed.UnionWith(previous.Keys);
        return changed;
    }

    /// <summary>Workloads that share one Sidecar with a changed one (either way round).</summary>
    private static void AddGroups(MeshIndex index, SortedSet<string> changed, SortedSet<string> affected)
    {
        if (changed.Count == 0)
        {
            return;
        }

        foreach (var workload in index.Workloads)
        {
            if (workload.SharesPodsWith.Count == 0)
            {
                continue;
            }

            if (changed.Contains(workload.Key) || workload.SharesPodsWith.Any(changed.Contains))
            {
                affected.Add(workload.Key);
                affected.UnionWith(workload.SharesPodsWith);
            }
        }
    }

    /// <summary>Hosts of changed Services (plus aliases and VirtualService hosts routing to them); null when every workload may be affected.</summary>
    private static SortedSet<string>? ChangedHosts(MeshIndex before, MeshIndex after, ref bool routing)
    {
        var hosts = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        if (ReferenceEquals(before.Services, after.Services))
        {
            return hosts;
        }

        var changed = new List<MeshService>();
        var sameOrder = before.Services.Count == after.Services.Count;
        for (var i = 0; sameOrder && i < after.Services.Count; i++)
        {
            var (old, current) = (before.Services[i], after.Services[i]);
            if (old.SidecarHost != current.SidecarHost)
            {
                sameOrder = false;
            }
            else if (!ReferenceEquals(old, current) && Signature(old) != Signature(current))
            {
                changed.Add(old);
                changed.Add(current);
            }
        }

        if (!sameOrder)
        {
            changed.Clear();
            var previous = new Dictionary<string, MeshService>(StringComparer.OrdinalIgnoreCase);
            foreach (var service in before.Services)
            {
                previous.TryAdd(service.SidecarHost, service);
            }

            foreach (var service in after.Services)
            {
                if (!previous.Remove(service.SidecarHost, out var old))
                {
                    changed.Add(service);
                }
                else if (Signature(old) != Signature(service))
                {
                    changed.Add(old);
                    changed.Add(service);
                }
            }

            changed.AddRange(previous.Values);
        }

        foreach (var service in changed)
        {
            // Start imports (ScopeImports.FromStart) read every ServiceEntry and every Service some namespace cannot see.
            if (service.Kind == MeshServiceKind.ServiceEntry || !VisibleEverywhere(service, before.MeshConfig))
            {
                return null;
            }

            routing = true; // the fallback Service listens on every HTTP port of the mesh's Services
            hosts.Add(service.Host);
        }

        // Every generated Sidecar imports the MeshConfig extension providers' services (their namespace comes from the index).
        if (before.MeshConfig.ExtensionProviders.Any(p => p.Namespace is null && hosts.Contains(p.Host)))
        {
            return null;
        }

        foreach (var index in new[] { before, after })
        {
            foreach (var service in index.Services)
            {
                if (service is { Kind: MeshServiceKind.ExternalNameService, ExternalName: { } target } && hosts.Contains(target))
                {
                    hosts.Add(service.Host);
                }
            }

            foreach (var vs in index.VirtualServices)
            {
                if (vs.Destinations.Any(d => hosts.Contains(d.Host)))
                {
                    hosts.UnionWith(vs.Hosts);
                }
            }
        }

        return hosts;
    }

    private static bool VisibleEverywhere(MeshService service, MeshConfig meshConfig)
    {
        var exportTo = service.ExportTo.Count > 0 ? service.ExportTo : meshConfig.DefaultServiceExportTo;
        return exportTo.Contains("*", StringComparer.Ordinal);
    }

    private static bool SameWorkload(Workload old, Workload current) =>
        SameMap(old.SelectorLabels, current.SelectorLabels)
        && SameMap(old.Annotations, current.Annotations)
        && old.SharesPodsWith.SequenceEqual(current.SharesPodsWith, StringComparer.Ordinal)
        && (old.Pods.Count == 0) == (current.Pods.Count == 0)
        && ProxyOf(old) == ProxyOf(current)
        && LabelSets(old).SetEquals(LabelSets(current));

    /// <summary>The first non-sidecar proxy kind among its pods (what admission reads), else Sidecar.</summary>
    private static ProxyKind ProxyOf(Workload workload) =>
        workload.Pods.Select(static p => p.Proxy).FirstOrDefault(static k => k != ProxyKind.Sidecar, ProxyKind.Sidecar);

    private static HashSet<string> LabelSets(Workload workload)
    {
        var sets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in workload.Pods)
        {
            sets.Add(string.Join('\n', pod.Labels.OrderBy(static l => l.Key, StringComparer.Ordinal).Select(static l => $"{l.Key}={l.Value}")));
        }

        return sets;
    }

    private static bool SameSidecar(SidecarInfo old, SidecarInfo current) =>
        old.Created == current.Created
        && old.IsNamespaceDefault == current.IsNamespaceDefault
        && (old.SelectorLabels is null ? current.SelectorLabels is null : current.SelectorLabels is not null && SameMap(old.SelectorLabels, current.SelectorLabels))
        && (ReferenceEquals(old.Resource, current.Resource)
            || (old.Resource.Metadata?.ResourceVersion is { } version && version == current.Resource.Metadata?.ResourceVersion)
            || k8s.KubernetesJson.Serialize(old.Resource.Spec) == k8s.KubernetesJson.Serialize(current.Resource.Spec));

    private static bool SameMeshConfig(MeshConfig old, MeshConfig current) =>
        ReferenceEquals(old, current)
        || (old.RootNamespace == current.RootNamespace
            && old.OutboundTrafficPolicy == current.OutboundTrafficPolicy
            && old.DefaultServiceExportTo.SequenceEqual(current.DefaultServiceExportTo)
            && old.DefaultVirtualServiceExportTo.SequenceEqual(current.DefaultVirtualServiceExportTo)
            && old.DefaultDestinationRuleExportTo.SequenceEqual(current.DefaultDestinationRuleExportTo)
            && old.ExtensionProviders.SequenceEqual(current.ExtensionProviders));

    /// <summary>What a generated object reads of a destination: identity, kind, visibility, alias target, ports' protocols, ServiceEntry traits.</summary>
    private static string Signature(MeshService s) =>
        $"{s.SidecarHost}|{s.Kind}|{string.Join(',', s.ExportTo)}|{s.ExternalName}|{s.Location}|{s.Resolution}|{s.HasDeclaredAddresses}|" +
        string.Join(',', s.Ports.Select(static p => $"{p.Port}/{p.Name}/{p.Protocol}"));

    private static string Signature(MeshVirtualService vs) =>
        $"{vs.Namespace}/{vs.Name}|{vs.Kind}|{string.Join(',', vs.Hosts)}|{string.Join(',', vs.ExportTo)}|{vs.GatewaySemantics}|{vs.Created:O}|" +
        string.Join(';', vs.Destinations.Select(static d => $"{d.Host}:{d.Port}:{string.Join(',', d.SourceNamespaces)}"));

    private static bool SameSequence<T>(IReadOnlyList<T> old, IReadOnlyList<T> current, Func<T, string> signature) =>
        ReferenceEquals(old, current) || (old.Count == current.Count && old.Select(signature).SequenceEqual(current.Select(signature), StringComparer.Ordinal));

    private static bool SameMap(IReadOnlyDictionary<string, string> old, IReadOnlyDictionary<string, string> current) =>
        ReferenceEquals(old, current)
        || (old.Count == current.Count && old.All(kv => current.TryGetValue(kv.Key, out var value) && string.Equals(value, kv.Value, StringComparison.Ordinal)));
}
