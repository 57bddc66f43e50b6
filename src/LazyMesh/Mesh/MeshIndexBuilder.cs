using k8s;
using k8s.Models;
using LazyMesh.Inventory;
using LazyMesh.Istio;
using LazyMesh.Rendering;

namespace LazyMesh.Mesh;

/// <summary>
/// Builds a <see cref="MeshIndex"/> from an inventory: resolves each pod's top-level owner and the labels that
/// select it, indexes pod IPs (with IP-reuse rules), Services, ServiceEntries, namespaces and Sidecars.
/// Conflicts and approximations are reported in <see cref="MeshIndex.Warnings"/>, never silently.
/// </summary>
public sealed class MeshIndexBuilder
{
    /// <summary>Pod labels that differ per revision, run or replica: never part of a workload selector.</summary>
    private static readonly string[] VaryingLabels =
    [
        "pod-template-hash", "controller-revision-hash", "controller-uid", "job-name",
        "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index", "pod-template-generation",
    ];

    /// <summary>A Kubernetes Service's exportTo (kube/controller conversion.go <c>ConvertService</c>).</summary>
    private const string ServiceExportToAnnotation = "networking.istio.io/exportTo";

    private readonly InventorySnapshot snapshot;
    private readonly MeshOptions options;
    private readonly List<string> warnings;
    private readonly HashSet<string> warnedOwners = new(StringComparer.Ordinal);
    private readonly Dictionary<PodInfo, V1Pod> sourcePods = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, IDictionary<string, string>?> namespaceLabels;
    private readonly List<V1Service> managedServices;
    private readonly Dictionary<string, V1ReplicaSet> replicaSets;
    private readonly Dictionary<string, V1Deployment> deployments;
    private readonly Dictionary<string, V1StatefulSet> statefulSets;
    private readonly Dictionary<string, V1DaemonSet> daemonSets;
    private readonly Dictionary<string, V1Job> jobs;
    private readonly Dictionary<string, V1CronJob> cronJobs;

    private MeshIndexBuilder(InventorySnapshot snapshot, MeshOptions options)
    {
        this.snapshot = snapshot;
        this.options = options;
        warnings = [.. snapshot.Warnings]; // objects the inventory skipped, each with its file:line
        namespaceLabels = snapshot.Namespaces.Where(static n => n.Metadata?.Name is not null)
            .GroupBy(static n => n.Metadata.Name, StringComparer.Ordinal)
            .ToDictionary(static g => g.Key, static IDictionary<string, string>? (g) => g.First().Metadata.Labels, StringComparer.Ordinal);
        managedServices = [.. snapshot.Services.Where(static s => s.Metadata.Labels?.TryGetValue(LazyMeshMetadata.ManagedByLabel, out var by) == true && by == LazyMeshMetadata.ManagedByValue)];
        replicaSets = ByKey(snapshot.ReplicaSets);
        deployments = ByKey(snapshot.Deployments);
        statefulSets = ByKey(snapshot.StatefulSets);
        daemonSets = ByKey(snapshot.DaemonSets);
        jobs = ByKey(snapshot.Jobs);
        cronJobs = ByKey(snapshot.CronJobs);
    }

    public static MeshIndex Build(InventorySnapshot snapshot, MeshOptions? options = null) =>
        new MeshIndexBuilder(snapshot, options ?? MeshOptions.Default).Build();

    private MeshIndex Build()
    {
        var (workloads, pods) = BuildWorkloads();
        var (podsByIp, hostNetworkIps) = IndexPodIps(pods);

        var services = new List<MeshService>();
        var byAddress = new Dictionary<AddressPort, MeshService>();
        var cidrs = new List<CidrRange>();
        var hosts = new Dictionary<string, MeshService>(StringComparer.OrdinalIgnoreCase);
        var wildcards = new Dictionary<string, MeshService>(StringComparer.OrdinalIgnoreCase);
        var podsByNamespace = pods.ToLookup(p => p.Namespace, StringComparer.Ordinal);
        foreach (var service in snapshot.Services.OrderBy(s => s.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            AddService(service, podsByNamespace[service.Metadata.NamespaceProperty], services, byAddress, hosts);
        }

        foreach (var entry in snapshot.ServiceEntries.OrderBy(s => s.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            AddServiceEntry(entry, services, byAddress, cidrs, hosts, wildcards);
        }

        var namespaces = snapshot.Namespaces
            .Select(n => new NamespaceInfo(n.Metadata.Name, Labels.Copy(n.Metadata.Labels), Labels.Copy(n.Metadata.Annotations)))
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
        var sidecars = snapshot.Sidecars.Select(ToSidecarInfo).ToList();
        var serviceEntryHosts = snapshot.ServiceEntries.ToDictionary(
            e => $"{e.Metadata.NamespaceProperty}/{e.Metadata.Name}", e => e.Spec?.Hosts?.ToArray() ?? [], StringComparer.Ordinal);
        var meshConfig = options.MeshConfig ?? MeshConfigFromInventory();
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

        return new MeshIndex(options, podsByIp, hostNetworkIps, byAddress, cidrs, hosts, wildcards, workloads, services, pods, namespaces, sidecars, warnings, virtualServices, destinationRules)
        {
            MeshConfig = meshConfig,
            AuthorizationPolicies = snapshot.AuthorizationPolicies,
        };
    }

    private MeshConfig MeshConfigFromInventory()
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

    // ---- workloads ----

    private (List<Workload> Workloads, List<PodInfo> Pods) BuildWorkloads()
    {
        var groups = new SortedDictionary<string, (WorkloadOwner Owner, List<V1Pod> Pods)>(StringComparer.Ordinal);
        foreach (var pod in snapshot.Pods.OrderBy(p => p.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            var owner = ResolveOwner(pod);
            var key = $"{pod.Metadata.NamespaceProperty}/{owner.Kind}/{owner.Name}";
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = (owner, []);
            }

            group.Pods.Add(pod);
        }

        // Scaled-to-zero controllers keep a workload (and so their Sidecar) when their selector is plain labels.
        AddIdle(groups, deployments.Values, WorkloadKind.Deployment, d => d.Spec?.Selector, d => d.Spec?.Template?.Metadata?.Labels);
        AddIdle(groups, statefulSets.Values, WorkloadKind.StatefulSet, s => s.Spec?.Selector, s => s.Spec?.Template?.Metadata?.Labels);
        AddIdle(groups, daemonSets.Values, WorkloadKind.DaemonSet, d => d.Spec?.Selector, d => d.Spec?.Template?.Metadata?.Labels);

        var podsByNamespace = snapshot.Pods.ToLookup(
            p => p.Metadata.NamespaceProperty,
            p => (Pod: p, Labels: Labels.Copy(p.Metadata.Labels)),
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
            var (selector, note) = ChooseSelector(owner, ownedPods);
            IReadOnlyList<string> sharesPodsWith = [];
            if (selector.Count == 0)
            {
                warnings.Add($"workload {key} has no labels that select it; a Sidecar cannot target it");
            }
            else
            {
                (selector, note, sharesPodsWith) = NarrowSelector(key, owner, ownedPods, selector, note, podsByNamespace[ns], ownerOfPod);
            }

            var workload = new Workload(ns, owner.Kind, owner.Name)
            {
                SelectorLabels = selector,
                SelectorNote = note,
                SharesPodsWith = sharesPodsWith,
                Annotations = Labels.Copy(owner.Metadata?.Annotations),
            };
            var infos = new PodInfo[ownedPods.Count];
            for (var i = 0; i < infos.Length; i++)
            {
                infos[i] = ToPodInfo(ownedPods[i], workload);
                sourcePods[infos[i]] = ownedPods[i];
            }

            workload.Pods = infos;
            workloads.Add(workload);
            pods.AddRange(infos);
        }

        return (workloads, pods);
    }

    private void AddIdle<T>(
        SortedDictionary<string, (WorkloadOwner Owner, List<V1Pod> Pods)> groups,
        IEnumerable<T> objects,
        WorkloadKind kind,
        Func<T, V1LabelSelector?> selectorOf,
        Func<T, IDictionary<string, string>?> templateLabelsOf)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        foreach (var obj in objects)
        {
            var key = $"{obj.Metadata.NamespaceProperty}/{kind}/{obj.Metadata.Name}";
            var selector = selectorOf(obj);
            if (!groups.ContainsKey(key) && selector?.MatchLabels is { Count: > 0 } && selector.MatchExpressions is not { Count: > 0 })
            {
                groups[key] = (new WorkloadOwner(kind, obj.Metadata.Name, obj.Metadata, selector, null) { TemplateLabels = templateLabelsOf(obj) }, []);
            }
        }
    }

    private WorkloadOwner ResolveOwner(V1Pod pod)
    {
        var ns = pod.Metadata.NamespaceProperty;
        var reference = ControllerOf(pod.Metadata);
        if (reference is null)
        {
            return new WorkloadOwner(WorkloadKind.Pod, pod.Metadata.Name, pod.Metadata, null, null);
        }

        switch (reference.Kind)
        {
            case "ReplicaSet":
                if (!replicaSets.TryGetValue($"{ns}/{reference.Name}", out var rs))
                {
                    return Missing(WorkloadKind.ReplicaSet, reference.Name, pod);
                }

                var rsOwner = ControllerOf(rs.Metadata);
                if (rsOwner?.Kind == "Deployment")
                {
                    if (deployments.TryGetValue($"{ns}/{rsOwner.Name}", out var deployment))
                    {
                        return new WorkloadOwner(WorkloadKind.Deployment, deployment.Metadata.Name, deployment.Metadata, deployment.Spec?.Selector, null)
                        {
                            TemplateLabels = deployment.Spec?.Template?.Metadata?.Labels ?? rs.Spec?.Template?.Metadata?.Labels,
                        };
                    }

                    // A Deployment's selector is its ReplicaSets' selector without pod-template-hash.
                    var inferred = rs.Spec?.Selector is { } rsSelector
                        ? new V1LabelSelector
                        {
                            MatchExpressions = rsSelector.MatchExpressions,
                            MatchLabels = rsSelector.MatchLabels?.Where(l => l.Key != "pod-template-hash").ToDictionary(l => l.Key, l => l.Value),
                        }
                        : null;
                    var reason = $"Deployment {rsOwner.Name} is not in the inventory; selector taken from ReplicaSet {rs.Metadata.Name} without pod-template-hash";
                    if (warnedOwners.Add($"{ns}/Deployment/{rsOwner.Name}"))
                    {
                        warnings.Add($"{ns}: {reason}");
                    }

                    return new WorkloadOwner(WorkloadKind.Deployment, rsOwner.Name, null, inferred, reason) { TemplateLabels = rs.Spec?.Template?.Metadata?.Labels };
                }

                return new WorkloadOwner(WorkloadKind.ReplicaSet, rs.Metadata.Name, rs.Metadata, rs.Spec?.Selector, null) { TemplateLabels = rs.Spec?.Template?.Metadata?.Labels };
            case "StatefulSet":
                return statefulSets.TryGetValue($"{ns}/{reference.Name}", out var sts)
                    ? new WorkloadOwner(WorkloadKind.StatefulSet, sts.Metadata.Name, sts.Metadata, sts.Spec?.Selector, null) { TemplateLabels = sts.Spec?.Template?.Metadata?.Labels }
                    : Missing(WorkloadKind.StatefulSet, reference.Name, pod);
            case "DaemonSet":
                return daemonSets.TryGetValue($"{ns}/{reference.Name}", out var ds)
                    ? new WorkloadOwner(WorkloadKind.DaemonSet, ds.Metadata.Name, ds.Metadata, ds.Spec?.Selector, null) { TemplateLabels = ds.Spec?.Template?.Metadata?.Labels }
                    : Missing(WorkloadKind.DaemonSet, reference.Name, pod);
            case "Job":
                if (!jobs.TryGetValue($"{ns}/{reference.Name}", out var job))
                {
                    return Missing(WorkloadKind.Job, reference.Name, pod);
                }

                var jobOwner = ControllerOf(job.Metadata);
                if (jobOwner?.Kind == "CronJob")
                {
                    // A CronJob has no selector; each Job's selector names that run's controller-uid.
                    return cronJobs.TryGetValue($"{ns}/{jobOwner.Name}", out var cronJob)
                        ? new WorkloadOwner(WorkloadKind.CronJob, cronJob.Metadata.Name, cronJob.Metadata, null, "CronJob has no pod selector")
                        : Missing(WorkloadKind.CronJob, jobOwner.Name, pod);
                }

                return new WorkloadOwner(WorkloadKind.Job, job.Metadata.Name, job.Metadata, job.Spec?.Selector, null) { TemplateLabels = job.Spec?.Template?.Metadata?.Labels };
            default:
                warnings.Add($"pod {ns}/{pod.Metadata.Name}: owner kind {reference.Kind} is not supported; treated as a bare pod");
                return new WorkloadOwner(WorkloadKind.Pod, pod.Metadata.Name, pod.Metadata, null, null);
        }
    }

    private WorkloadOwner Missing(WorkloadKind kind, string name, V1Pod pod)
    {
        if (warnedOwners.Add($"{pod.Metadata.NamespaceProperty}/{kind}/{name}"))
        {
            warnings.Add($"{kind} {pod.Metadata.NamespaceProperty}/{name} (owner of pod {pod.Metadata.Name}) is not in the inventory");
        }

        return new WorkloadOwner(kind, name, null, null, $"{kind} {name} is not in the inventory");
    }

    /// <summary>
    /// Istio applies the oldest Sidecar whose selector matches a pod (push_context.go <c>doGetSidecarScope</c>), so a
    /// generated selector must match this workload's pods only. When the owner's selector also matches other
    /// workloads' pods (<c>web</c> {app: web} and <c>web-canary</c> {app: web, track: canary}), it is extended with the
    /// pod template labels (minus per-revision ones); when even those match another workload's pods, no label set
    /// can tell them apart: warned, and the other workloads are returned so their hosts can share one Sidecar.
    /// </summary>
    private (SortedDictionary<string, string> Selector, string? Note, IReadOnlyList<string> SharesPodsWith) NarrowSelector(
        string key,
        WorkloadOwner owner,
        List<V1Pod> ownedPods,
        SortedDictionary<string, string> selector,
        string? note,
        IEnumerable<(V1Pod Pod, IReadOnlyDictionary<string, string> Labels)> namespacePods,
        Dictionary<V1Pod, string> ownerOfPod)
    {
        var owned = new HashSet<V1Pod>(ownedPods, ReferenceEqualityComparer.Instance);
        var candidates = namespacePods.Where(p => !owned.Contains(p.Pod)).ToList();
        var others = candidates.Where(p => Labels.Matches(selector, p.Labels)).ToList();
        if (others.Count == 0)
        {
            return (selector, note, []);
        }

        var exact = new SortedDictionary<string, string>(selector, StringComparer.Ordinal);
        foreach (var (label, value) in TemplateLabels(owner, ownedPods))
        {
            exact.TryAdd(label, value);
        }

        var stillOthers = candidates.Where(p => Labels.Matches(exact, p.Labels)).ToList();
        if (stillOthers.Count == 0)
        {
            var excluded = others.Select(p => ownerOfPod.GetValueOrDefault(p.Pod) ?? p.Pod.Metadata.Name).Distinct(StringComparer.Ordinal).ToList();
            var why = $"selector {Format(selector)} also selects pods of {string.Join(", ", excluded)}; extended with pod template labels to {Format(exact)}";
            return (exact, note is null ? why : $"{note}; {why}", []);
        }

        var shared = stillOthers.Select(p => ownerOfPod.GetValueOrDefault(p.Pod) ?? $"{p.Pod.Metadata.NamespaceProperty}/Pod/{p.Pod.Metadata.Name}")
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        warnings.Add($"workload {key}: no label set selects only its pods (selector {Format(exact)} also selects pods of {string.Join(", ", shared)}); their hosts share one Sidecar");
        return (exact, note, shared);
    }

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

    private static (SortedDictionary<string, string> Selector, string? Note) ChooseSelector(WorkloadOwner owner, List<V1Pod> pods)
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

    private static bool IsVarying(string label) =>
        Array.IndexOf(VaryingLabels, label) >= 0 || label.StartsWith("batch.kubernetes.io/", StringComparison.Ordinal);

    private static V1OwnerReference? ControllerOf(V1ObjectMeta metadata) =>
        metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true);

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

        foreach (var service in managedServices)
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

    private PodInfo ToPodInfo(V1Pod pod, Workload workload)
    {
        var ips = new List<IpKey>();
        foreach (var text in (pod.Status?.PodIPs?.Select(p => p.Ip) ?? []).Append(pod.Status?.PodIP))
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            if (!IpKey.TryParse(text, out var ip))
            {
                warnings.Add($"pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}: '{text}' is not an IP address");
            }
            else if (!ips.Contains(ip))
            {
                ips.Add(ip);
            }
        }

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
                : ProxyKinds.Of(pod, namespaceLabels.GetValueOrDefault(pod.Metadata.NamespaceProperty)),
            Terminating = pod.Metadata.DeletionTimestamp is not null,
            Created = ToOffset(pod.Metadata.CreationTimestamp) ?? DateTimeOffset.MinValue,
            Labels = Labels.Copy(pod.Metadata.Labels),
            Workload = workload,
        };
    }

    /// <summary><c>spec.serviceAccountName</c>, else the deprecated <c>spec.serviceAccount</c>, else <c>default</c>.</summary>
    private static string ServiceAccountOf(V1PodSpec? spec) =>
        !string.IsNullOrEmpty(spec?.ServiceAccountName) ? spec.ServiceAccountName
        : !string.IsNullOrEmpty(spec?.ServiceAccount) ? spec.ServiceAccount
        : PodInfo.DefaultServiceAccount;

    // ---- pod IPs ----

    private (Dictionary<IpKey, PodInfo> PodsByIp, HashSet<IpKey> HostNetworkIps) IndexPodIps(List<PodInfo> pods)
    {
        var byIp = new Dictionary<IpKey, PodInfo>();
        var hostNetwork = new HashSet<IpKey>();
        foreach (var pod in pods)
        {
            foreach (var ip in pod.Ips)
            {
                if (pod.HostNetwork)
                {
                    hostNetwork.Add(ip);
                    continue;
                }

                if (!byIp.TryGetValue(ip, out var current))
                {
                    byIp[ip] = pod;
                    continue;
                }

                var winner = Rank(pod) != Rank(current) ? (Rank(pod) > Rank(current) ? pod : current)
                    : pod.Created > current.Created ? pod : current;
                if (Rank(pod) == 3 && Rank(current) == 3)
                {
                    warnings.Add($"IP {ip} is used by running pods {current} and {pod}; attributing it to {winner} (newest)");
                }

                byIp[ip] = winner;
            }
        }

        foreach (var ip in hostNetwork)
        {
            byIp.Remove(ip);
        }

        return (byIp, hostNetwork);
    }

    /// <summary>Running beats pending/unknown beats terminating beats finished (Succeeded/Failed).</summary>
    private static int Rank(PodInfo pod) => pod.Phase switch
    {
        "Succeeded" or "Failed" => 0,
        _ when pod.Terminating => 1,
        "Running" => 3,
        _ => 2,
    };

    // ---- services ----

    private void AddService(V1Service service, IEnumerable<PodInfo> namespacePods, List<MeshService> services, Dictionary<AddressPort, MeshService> byAddress, Dictionary<string, MeshService> hosts)
    {
        var ns = service.Metadata.NamespaceProperty;
        var name = service.Metadata.Name;
        var spec = service.Spec ?? new V1ServiceSpec();
        var selector = spec.Selector is { Count: > 0 } s ? new Dictionary<string, string>(s, StringComparer.Ordinal) : null;
        var selected = selector is null ? [] : namespacePods.Where(p => Labels.Matches(selector, p.Labels)).ToList();
        var ready = selected.Where(p => p.Ready && !p.Terminating).ToList();

        var kind = spec.Type == "ExternalName" ? MeshServiceKind.ExternalNameService
            : spec.ClusterIP == "None" ? MeshServiceKind.HeadlessService
            : MeshServiceKind.Service;
        var addresses = new List<IpKey>();
        if (kind == MeshServiceKind.Service)
        {
            foreach (var text in (spec.ClusterIPs ?? []).Append(spec.ClusterIP))
            {
                if (!string.IsNullOrEmpty(text) && IpKey.TryParse(text, out var ip) && !addresses.Contains(ip))
                {
                    addresses.Add(ip);
                }
            }
        }

        var ports = (spec.Ports ?? [])
            .Select(p => new MeshServicePort(p.Port, p.Name, PortProtocols.FromServicePort(p), ready.Count) { TargetPort = NumericTargetPort(p) })
            .ToArray();
        var meshService = new MeshService(ns, name, $"{name}.{ns}.svc.{options.ClusterDomain}", kind)
        {
            Ports = ports,
            Addresses = addresses,
            ExternalName = spec.ExternalName,
            Selector = spec.Selector is { Count: > 0 } podSelector ? Labels.Copy(podSelector) : null,
            ExportTo = service.Metadata.Annotations?.TryGetValue(ServiceExportToAnnotation, out var exportTo) == true
                ? [.. exportTo.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]
                : [],
        };
        services.Add(meshService);
        AddHost(hosts, meshService.Host, meshService);

        foreach (var ip in addresses)
        {
            foreach (var port in ports)
            {
                AddAddress(byAddress, new AddressPort(ip, port.Port), meshService);
            }
        }

        if (kind == MeshServiceKind.HeadlessService)
        {
            foreach (var pod in ready)
            {
                foreach (var port in spec.Ports ?? [])
                {
                    var target = TargetPort(port, pod);
                    foreach (var ip in pod.Ips)
                    {
                        if (target is { } t)
                        {
                            AddAddress(byAddress, new AddressPort(ip, t), meshService);
                        }

                        AddAddress(byAddress, new AddressPort(ip, port.Port), meshService);
                    }
                }
            }
        }
    }

    /// <summary>The port the workload listens on when the Service names it by number (a named one differs per pod).</summary>
    private static int? NumericTargetPort(V1ServicePort port) =>
        string.IsNullOrEmpty(port.TargetPort) ? port.Port : int.TryParse(port.TargetPort, out var number) ? number : null;

    private int? TargetPort(V1ServicePort port, PodInfo pod)
    {
        string? target = port.TargetPort;
        if (string.IsNullOrEmpty(target))
        {
            return port.Port;
        }

        if (int.TryParse(target, out var number))
        {
            return number;
        }

        var containerPort = sourcePods.GetValueOrDefault(pod)?.Spec?.Containers?.SelectMany(c => c.Ports ?? []).FirstOrDefault(c => c.Name == target);
        return containerPort?.ContainerPort;
    }

    private void AddServiceEntry(
        ServiceEntryResource entry,
        List<MeshService> services,
        Dictionary<AddressPort, MeshService> byAddress,
        List<CidrRange> cidrs,
        Dictionary<string, MeshService> hosts,
        Dictionary<string, MeshService> wildcards)
    {
        var ns = entry.Metadata.NamespaceProperty;
        var name = entry.Metadata.Name;
        var spec = entry.Spec ?? new ServiceEntrySpec();
        if (spec.Hosts is not { Count: > 0 })
        {
            warnings.Add($"ServiceEntry {ns}/{name} has no hosts; ignored");
            return;
        }

        var resolution = spec.Resolution?.ToUpperInvariant() ?? "NONE";
        var endpoints = spec.Endpoints?.Count ?? 0;
        var ready = endpoints > 0 ? endpoints : resolution is "DNS" or "DNS_ROUND_ROBIN" ? 1 : 0;
        var ports = (spec.Ports ?? []).Select(p => new MeshServicePort(p.Number, p.Name, PortProtocols.FromServiceEntryPort(p), ready)).ToArray();

        var addresses = new List<IpKey>();
        var ranges = new List<(IpKey Network, int Bits)>();
        foreach (var text in spec.Addresses ?? [])
        {
            if (IpKey.TryParse(text, out var ip))
            {
                addresses.Add(ip);
            }
            else if (CidrRange.TryParse(text, out var network, out var bits))
            {
                ranges.Add((network, bits));
            }
            else
            {
                warnings.Add($"ServiceEntry {ns}/{name}: address '{text}' is neither an IP nor a CIDR; ignored");
            }
        }

        MeshService? first = null;
        foreach (var host in spec.Hosts)
        {
            if (string.IsNullOrEmpty(host) || host == "*")
            {
                warnings.Add($"ServiceEntry {ns}/{name}: host '{host}' ignored");
                continue;
            }

            var meshService = new MeshService(ns, name, host, MeshServiceKind.ServiceEntry)
            {
                Ports = ports,
                Addresses = addresses,
                ExportTo = spec.ExportTo?.ToArray() ?? [],
                Location = spec.Location,
                Resolution = resolution,
                HasDeclaredAddresses = (spec.Addresses?.Count ?? 0) > 0,
            };
            services.Add(meshService);
            first ??= meshService;
            if (host.StartsWith("*.", StringComparison.Ordinal))
            {
                AddHost(wildcards, host[1..], meshService);
            }
            else
            {
                AddHost(hosts, host, meshService);
            }
        }

        if (first is null)
        {
            return;
        }

        // Addresses belong to the entry, not to one host: they resolve to its first host.
        foreach (var port in ports)
        {
            foreach (var ip in addresses)
            {
                AddAddress(byAddress, new AddressPort(ip, port.Port), first);
            }

            foreach (var (network, bits) in ranges)
            {
                cidrs.Add(new CidrRange(network, bits, port.Port, first));
            }
        }
    }

    private void AddHost(Dictionary<string, MeshService> map, string host, MeshService service)
    {
        if (!map.TryAdd(host, service))
        {
            warnings.Add($"host {host} is defined by {map[host]} and {service}; using {map[host]}");
        }
    }

    private void AddAddress(Dictionary<AddressPort, MeshService> map, AddressPort key, MeshService service)
    {
        if (!map.TryAdd(key, service) && !ReferenceEquals(map[key], service))
        {
            warnings.Add($"address {key.Address}:{key.Port} is claimed by {map[key]} and {service}; using {map[key]}");
        }
    }

    // ---- sidecars ----

    private static SidecarInfo ToSidecarInfo(SidecarResource sidecar)
    {
        var labels = sidecar.Spec?.WorkloadSelector?.Labels;
        return new SidecarInfo(
            sidecar.Metadata.NamespaceProperty,
            sidecar.Metadata.Name,
            labels is { Count: > 0 } ? new SortedDictionary<string, string>(labels, StringComparer.Ordinal) : null,
            sidecar.Metadata.Labels?.TryGetValue(LazyMeshMetadata.ManagedByLabel, out var manager) == true && manager == LazyMeshMetadata.ManagedByValue,
            ToOffset(sidecar.Metadata.CreationTimestamp),
            sidecar);
    }

    // ---- helpers ----

    private static Dictionary<string, T> ByKey<T>(IEnumerable<T> objects)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var obj in objects)
        {
            map[$"{obj.Metadata.NamespaceProperty}/{obj.Metadata.Name}"] = obj;
        }

        return map;
    }

    private static DateTimeOffset? ToOffset(DateTime? time) => time switch
    {
        null => null,
        { Kind: DateTimeKind.Local } t => new DateTimeOffset(t.ToUniversalTime()),
        var t => new DateTimeOffset(DateTime.SpecifyKind(t.Value, DateTimeKind.Utc)),
    };

    private static string Format(IReadOnlyDictionary<string, string> labels) =>
        string.Join(",", labels.Select(l => $"{l.Key}={l.Value}"));
}
