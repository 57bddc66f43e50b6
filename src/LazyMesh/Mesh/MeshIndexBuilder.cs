using k8s.Models;
using LazyMesh.Inventory;

namespace LazyMesh.Mesh;

/// <summary>
/// Builds a <see cref="MeshIndex"/> whole from an inventory, through its parts: each pod's top-level owner
/// (<see cref="WorkloadOwners"/>) and the labels that select it (<see cref="WorkloadSelectors"/>), pods
/// (<see cref="PodInfoFactory"/>) by IP (<see cref="PodIpIndexer"/>), Services (<see cref="KubernetesServiceIndexer"/>),
/// ServiceEntries (<see cref="ServiceEntryIndexer"/>), namespaces and Sidecars (<see cref="SidecarInfos"/>).
/// Conflicts and approximations are reported in <see cref="MeshIndex.Warnings"/>, never silently.
/// <see cref="MeshIndexUpdater"/> applies pod changes to an index built here without building it again.
/// </summary>
public static class MeshIndexBuilder
{
    public static MeshIndex Build(InventorySnapshot snapshot, MeshOptions? options = null) =>
        BuildParts(snapshot, options ?? MeshOptions.Default).Index;

    internal static MeshIndexParts BuildParts(InventorySnapshot snapshot, MeshOptions options)
    {
        var warnings = new List<string>(snapshot.Warnings); // objects the inventory skipped, each with its file:line
        var parts = new MeshIndexParts(snapshot, options);
        var (workloads, pods) = BuildWorkloads(snapshot, parts, warnings);
        var (podsByIp, hostNetworkIps) = PodIpIndexer.Index(pods, warnings);
        foreach (var pod in pods)
        {
            foreach (var ip in pod.Ips)
            {
                parts.IpHolders[ip] = parts.IpHolders.GetValueOrDefault(ip) + 1;
            }
        }

        var destinations = new MeshDestinations(warnings);
        var podsByNamespace = pods.ToLookup(p => p.Namespace, StringComparer.Ordinal);
        V1Pod? SourceOf(PodInfo pod) => parts.PodsByKey.GetValueOrDefault($"{pod.Namespace}/{pod.Name}");
        foreach (var service in snapshot.Services.OrderBy(s => s.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            var ns = service.Metadata.NamespaceProperty;
            var position = destinations.Services.Count;
            var (added, addresses) = KubernetesServiceIndexer.Add(service, podsByNamespace[ns], SourceOf, options, parts.PodInfos.LabelSets, destinations);
            if (added.Selector is { } selector)
            {
                Add(parts.ServicesByNamespace, ns, new ServicePart(service, selector, position) { Current = added, Addresses = addresses });
            }
        }

        foreach (var entry in snapshot.ServiceEntries.OrderBy(s => s.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            ServiceEntryIndexer.Add(entry, destinations);
        }

        parts.HasDestinationConflicts = destinations.Conflicts > 0;
        var namespaces = snapshot.Namespaces
            .Select(n => new NamespaceInfo(n.Metadata.Name, Labels.Copy(n.Metadata.Labels), Labels.Copy(n.Metadata.Annotations)))
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
        var sidecars = snapshot.Sidecars.Select(SidecarInfos.From).ToList();
        var serviceEntryHosts = snapshot.ServiceEntries.ToDictionary(
            e => $"{e.Metadata.NamespaceProperty}/{e.Metadata.Name}", e => e.Spec?.Hosts?.ToArray() ?? [], StringComparer.Ordinal);
        var meshConfig = options.MeshConfig ?? MeshConfigFromInventory(snapshot, options, warnings);
        var virtualServices = MeshVirtualServiceBuilder.Build(snapshot.VirtualServices, snapshot.GatewayApiRoutes, options, meshConfig, serviceEntryHosts, warnings);
        var destinationRules = snapshot.DestinationRules
            .Where(d => !string.IsNullOrEmpty(d.Spec?.Host))
            .Select(d => new MeshDestinationRule(
                d.Metadata.NamespaceProperty,
                d.Metadata.Name,
                MeshVirtualServiceBuilder.Fqdn(d.Spec.Host!, d.Metadata.NamespaceProperty, options),
                [.. (d.Spec.Subsets ?? []).Select(s => s.Name).OfType<string>()],
                d.Spec.ExportTo?.ToArray() ?? []))
            .ToList();

        parts.Index = new MeshIndex(
            options, podsByIp, hostNetworkIps, destinations.ByAddress, destinations.Cidrs, destinations.Hosts, destinations.Wildcards,
            workloads, destinations.Services, pods, namespaces, sidecars, warnings, virtualServices, destinationRules)
        {
            MeshConfig = meshConfig,
            AuthorizationPolicies = snapshot.AuthorizationPolicies,
        };
        return parts;
    }

    private static MeshConfig MeshConfigFromInventory(InventorySnapshot snapshot, MeshOptions options, List<string> warnings)
    {
        try
        {
            return MeshConfigParser.FromConfigMaps(snapshot.ConfigMaps, options.MeshConfigNamespace) ?? MeshConfig.Default;
        }
        catch (InventoryException ex)
        {
            warnings.Add($"MeshConfig ignored, Istio's defaults apply: {ex.Message}");
            return MeshConfig.Default;
        }
    }

    /// <summary>Groups pods by owner (plus idle controllers), chooses and narrows each workload's selector.</summary>
    private static (List<Workload> Workloads, List<PodInfo> Pods) BuildWorkloads(InventorySnapshot snapshot, MeshIndexParts parts, List<string> warnings)
    {
        var groups = new SortedDictionary<string, (WorkloadOwner Owner, List<V1Pod> Pods)>(StringComparer.Ordinal);
        foreach (var pod in snapshot.Pods.OrderBy(p => p.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            var owner = parts.Owners.Resolve(pod, warnings);
            var key = WorkloadOwners.KeyOf(pod.Metadata.NamespaceProperty, owner.Kind, owner.Name);
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = (owner, []);
            }

            group.Pods.Add(pod);
        }

        foreach (var (key, owner) in parts.Owners.IdleCandidates())
        {
            groups.TryAdd(key, (owner, []));
        }

        var podsByNamespace = snapshot.Pods.ToLookup(
            p => p.Metadata.NamespaceProperty,
            p => (Pod: p, Labels: parts.PodInfos.LabelSets.Get(p.Metadata.Labels)),
            StringComparer.Ordinal);
        var ownerOfPod = new Dictionary<V1Pod, string>(ReferenceEqualityComparer.Instance);
        foreach (var (key, group) in groups)
        {
            foreach (var pod in group.Pods)
            {
                ownerOfPod[pod] = key;
            }
        }

        var workloads = new List<Workload>();
        var pods = new List<PodInfo>();
        foreach (var (key, (owner, ownedPods)) in groups)
        {
            var ns = key[..key.IndexOf('/')];
            var (chosen, chosenNote) = WorkloadSelectors.Choose(owner, ownedPods);
            var narrowed = new NarrowedSelector(chosen, chosenNote, [], MatchedOthers: false);
            if (chosen.Count == 0)
            {
                warnings.Add($"workload {key} has no labels that select it; a Sidecar cannot target it");
            }
            else
            {
                narrowed = WorkloadSelectors.Narrow(key, owner, ownedPods, chosen, chosenNote, podsByNamespace[ns], ownerOfPod, warnings);
            }

            var workload = new Workload(ns, owner.Kind, owner.Name)
            {
                SelectorLabels = narrowed.Selector,
                SelectorNote = narrowed.Note,
                SharesPodsWith = narrowed.SharesPodsWith,
                Annotations = parts.PodInfos.LabelSets.Get(owner.Metadata?.Annotations),
            };
            var infos = new PodInfo[ownedPods.Count];
            for (var i = 0; i < infos.Length; i++)
            {
                infos[i] = parts.PodInfos.Create(ownedPods[i], workload, warnings);
            }

            workload.Pods = infos;
            var part = new WorkloadPart(
                key, ns, owner, chosen,
                updatableByParts: WorkloadSelectors.IsFromOwnerOnly(owner) && owner.Reason is null && !narrowed.MatchedOthers)
            {
                Current = workload,
                Position = workloads.Count,
            };
            part.Pods.AddRange(ownedPods);
            parts.Workloads[key] = part;
            Add(parts.WorkloadsByNamespace, ns, part);
            foreach (var pod in ownedPods)
            {
                var podKey = MeshIndexParts.PodKey(pod);
                parts.PodsByKey[podKey] = pod;
                parts.WorkloadOfPod[podKey] = part;
            }

            workloads.Add(workload);
            pods.AddRange(infos);
        }

        return (workloads, pods);
    }

    private static void Add<T>(Dictionary<string, List<T>> map, string key, T value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }
}
