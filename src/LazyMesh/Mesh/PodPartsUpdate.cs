using k8s.Models;

namespace LazyMesh.Mesh;

/// <summary>
/// One batch of pod changes applied to <see cref="MeshIndexParts"/> (see <see cref="MeshIndexUpdater"/>):
/// <see cref="Apply"/> checks that a change stays local and records it, <see cref="Complete"/> replaces the touched
/// workloads and Services and publishes the new index into the parts. Each returns why it refused, or null.
/// </summary>
internal sealed class PodPartsUpdate(MeshIndexParts parts, LayerMergePolicy merges)
{
    private readonly List<string> _scratch = [];
    private readonly Dictionary<string, PodInfo> _fresh = new(StringComparer.Ordinal);
    private readonly HashSet<WorkloadPart> _workloads = [];
    private readonly Dictionary<string, List<IReadOnlyDictionary<string, string>>> _labelsByNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<IpKey, PodInfo?> _ipChanges = [];

    public string? Apply(string key, V1Pod? pod)
    {
        var oldPod = parts.PodsByKey.GetValueOrDefault(key);
        var oldPart = parts.WorkloadOfPod.GetValueOrDefault(key);
        if (oldPod is null && pod is null)
        {
            return null;
        }

        if (pod is not null && (pod.Metadata?.Name is null || pod.Metadata.NamespaceProperty is null || MeshIndexParts.PodKey(pod) != key))
        {
            return $"pod {key}: its metadata does not name it {key}";
        }

        var part = oldPart;
        PodInfo? info = null;
        if (pod is not null)
        {
            _scratch.Clear();
            var owner = parts.Owners.Resolve(pod, _scratch);
            var workloadKey = WorkloadOwners.KeyOf(pod.Metadata.NamespaceProperty, owner.Kind, owner.Name);
            if (_scratch.Count > 0 || !parts.Workloads.TryGetValue(workloadKey, out part) || !part.UpdatableByParts)
            {
                return $"pod {key}: its workload {workloadKey} is new, unresolved or selected by its pods' labels";
            }

            if (oldPart is not null && !ReferenceEquals(oldPart, part))
            {
                return $"pod {key} moved from workload {oldPart.Key} to {part.Key}";
            }

            if (pod.Spec?.HostNetwork == true)
            {
                return $"pod {key} uses the host network";
            }

            info = parts.PodInfos.Create(pod, part.Current, _scratch);
            if (_scratch.Count > 0)
            {
                return $"pod {key}: {_scratch[0]}";
            }
        }

        if (!part!.UpdatableByParts)
        {
            return $"pod {key}: its workload {part.Key} is selected by its pods' labels";
        }

        var oldInfo = oldPod is null ? null : FindInfo(part, oldPod.Metadata.Name);
        if (oldInfo is { HostNetwork: true })
        {
            return $"pod {key} used the host network";
        }

        // Another workload's narrowing reads every pod its selector matches: this pod must match none, before or after.
        var oldLabels = oldInfo?.Labels;
        var newLabels = info?.Labels;
        foreach (var other in parts.WorkloadsByNamespace[part.Namespace])
        {
            if (!ReferenceEquals(other, part) && other.ChosenSelector.Count > 0 &&
                ((oldLabels is not null && Labels.Matches(other.ChosenSelector, oldLabels)) || (newLabels is not null && Labels.Matches(other.ChosenSelector, newLabels))))
            {
                return $"pod {key}: workload {other.Key}'s selector matches it";
            }
        }

        // An IP held by another pod too: which one wins depends on both.
        var oldIps = oldInfo?.Ips ?? [];
        var newIps = info?.Ips ?? [];
        foreach (var ip in oldIps.Concat(newIps))
        {
            var others = parts.IpHolders.GetValueOrDefault(ip) - (oldIps.Contains(ip) ? 1 : 0);
            if (others > 0)
            {
                return $"pod {key}: IP {ip} is held by another pod too";
            }
        }

        foreach (var ip in oldIps)
        {
            var left = parts.IpHolders[ip] - 1;
            if (left == 0)
            {
                parts.IpHolders.Remove(ip);
                _ipChanges[ip] = null;
            }
            else
            {
                parts.IpHolders[ip] = left;
            }
        }

        foreach (var ip in newIps)
        {
            parts.IpHolders[ip] = parts.IpHolders.GetValueOrDefault(ip) + 1;
        }

        var name = pod?.Metadata.Name ?? oldPod!.Metadata.Name;
        var at = IndexOf(part.Pods, name);
        if (pod is null)
        {
            if (part.Pods.Count == 1 && part.Owner.Kind is not (WorkloadKind.Deployment or WorkloadKind.StatefulSet or WorkloadKind.DaemonSet))
            {
                return $"pod {key} was the last of workload {part.Key}, which goes with it";
            }

            part.Pods.RemoveAt(at);
            parts.PodsByKey.Remove(key);
            parts.WorkloadOfPod.Remove(key);
            _fresh.Remove(key);
        }
        else
        {
            if (at >= 0)
            {
                part.Pods[at] = pod;
            }
            else
            {
                part.Pods.Insert(~at, pod);
            }

            parts.PodsByKey[key] = pod;
            parts.WorkloadOfPod[key] = part;
            _fresh[key] = info!;
        }

        _workloads.Add(part);
        if (!_labelsByNamespace.TryGetValue(part.Namespace, out var labels))
        {
            _labelsByNamespace[part.Namespace] = labels = [];
        }

        if (oldLabels is not null)
        {
            labels.Add(oldLabels);
        }

        if (newLabels is not null)
        {
            labels.Add(newLabels);
        }

        return null;
    }

    public string? Complete()
    {
        var index = parts.Index;
        var workloads = index.PodParts.Workloads.ToArray();
        var workloadChanges = new List<KeyValuePair<string, Workload?>>();
        foreach (var part in _workloads)
        {
            var before = part.Current;
            var workload = new Workload(before.Namespace, before.Kind, before.Name)
            {
                SelectorLabels = before.SelectorLabels,
                SelectorNote = before.SelectorNote,
                SharesPodsWith = before.SharesPodsWith,
                Annotations = before.Annotations,
            };
            var previous = before.Pods.ToDictionary(static p => p.Name, StringComparer.Ordinal);
            var infos = new PodInfo[part.Pods.Count];
            for (var i = 0; i < infos.Length; i++)
            {
                var pod = part.Pods[i];
                if (_fresh.TryGetValue(MeshIndexParts.PodKey(pod), out var fresh))
                {
                    // A changed pod's IPs are its own (Apply checked): they point to it.
                    infos[i] = PodInfoFactory.Rehome(fresh, workload);
                    foreach (var ip in infos[i].Ips)
                    {
                        _ipChanges[ip] = infos[i];
                    }

                    continue;
                }

                // An unchanged pod keeps the IPs it won (a shared or hostNetwork IP may attribute elsewhere).
                var old = previous[pod.Metadata.Name];
                infos[i] = PodInfoFactory.Rehome(old, workload);
                foreach (var ip in old.Ips)
                {
                    if (index.FindPod(ip, out var holder) == PodIpMatch.Pod && ReferenceEquals(holder, old))
                    {
                        _ipChanges[ip] = infos[i];
                    }
                }
            }

            workload.Pods = infos;
            part.Current = workload;
            workloads[part.Position] = workload;
            workloadChanges.Add(new(part.Key, workload));
        }

        var services = index.PodParts.Services.ToArray();
        var hostChanges = new List<KeyValuePair<string, MeshService?>>();
        var addressChanges = new Dictionary<AddressPort, MeshService?>();
        var claimed = new Dictionary<AddressPort, MeshService>();
        foreach (var (ns, labels) in _labelsByNamespace)
        {
            if (!parts.ServicesByNamespace.TryGetValue(ns, out var nsServices))
            {
                continue;
            }

            PodInfo[]? namespacePods = null;
            foreach (var service in nsServices)
            {
                if (!labels.Exists(l => Labels.Matches(service.Selector, l)))
                {
                    continue;
                }

                if (parts.HasDestinationConflicts)
                {
                    return $"Service {ns}/{service.Source.Metadata.Name}: some host or address is claimed twice in the index";
                }

                namespacePods ??= [.. parts.WorkloadsByNamespace[ns].SelectMany(static w => w.Current.Pods)];
                var (meshService, addresses) = KubernetesServiceIndexer.Create(
                    service.Source, namespacePods, p => parts.PodsByKey.GetValueOrDefault($"{p.Namespace}/{p.Name}"), parts.Options, parts.PodInfos.LabelSets);
                var old = service.Current;
                foreach (var address in service.Addresses)
                {
                    addressChanges[address] = null;
                }

                foreach (var address in addresses)
                {
                    if ((claimed.TryGetValue(address, out var other) && !ReferenceEquals(other, meshService)) ||
                        (index.FindExactAddress(address) is { } current && !ReferenceEquals(current, old) && !addressChanges.ContainsKey(address)))
                    {
                        return $"Service {ns}/{service.Source.Metadata.Name}: address {address.Address}:{address.Port} is claimed by another destination";
                    }

                    claimed[address] = meshService;
                    addressChanges[address] = meshService;
                }

                hostChanges.Add(new(meshService.Host, meshService));
                services[service.Position] = meshService;
                service.Current = meshService;
                service.Addresses = addresses;
            }
        }

        parts.Index = index.WithPodParts(new MeshIndexPodParts(workloads, services), _ipChanges, addressChanges, hostChanges, workloadChanges, merges);
        return null;
    }

    /// <summary>The position of the pod named <paramref name="name"/> in pods ordered by name, else the complement of where it goes.</summary>
    private static int IndexOf(List<V1Pod> pods, string name)
    {
        int low = 0, high = pods.Count - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var order = string.CompareOrdinal(pods[middle].Metadata.Name, name);
            if (order == 0)
            {
                return middle;
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return ~low;
    }

    private static PodInfo? FindInfo(WorkloadPart part, string name)
    {
        foreach (var pod in part.Current.Pods)
        {
            if (pod.Name == name)
            {
                return pod;
            }
        }

        return null;
    }
}
