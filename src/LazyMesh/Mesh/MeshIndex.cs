using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace LazyMesh.Mesh;

/// <summary>
/// An immutable snapshot of the mesh: pods by IP, workloads, services by address and by name, namespaces and
/// existing Sidecars. Built by <see cref="MeshIndexBuilder"/>; lookups take no locks and, for IPv4 addresses
/// and names, allocate nothing.
/// </summary>
public sealed class MeshIndex
{
    private const int MaxNameLength = 253;

    private readonly LayeredMap<IpKey, PodInfo> podsByIp;
    private readonly FrozenSet<IpKey> hostNetworkIps;
    private readonly LayeredMap<AddressPort, MeshService> servicesByAddress;
    private readonly CidrRange[] cidrRanges;
    private readonly LayeredNameMap<MeshService> hosts;
    private readonly FrozenDictionary<string, MeshService>.AlternateLookup<ReadOnlySpan<char>> wildcardSuffixes;
    private readonly LayeredNameMap<Workload> workloadsByKey;
    private readonly FrozenDictionary<string, NamespaceInfo> namespacesByName;
    private readonly FrozenDictionary<string, SidecarInfo[]> sidecarsByNamespace;
    private PodInfo[]? _pods;
    private FrozenSet<string>? _podSharers;

    internal MeshIndex(
        MeshOptions options,
        Dictionary<IpKey, PodInfo> podsByIp,
        HashSet<IpKey> hostNetworkIps,
        Dictionary<AddressPort, MeshService> servicesByAddress,
        List<CidrRange> cidrRanges,
        Dictionary<string, MeshService> hosts,
        Dictionary<string, MeshService> wildcardSuffixes,
        List<Workload> workloads,
        List<MeshService> services,
        List<PodInfo> pods,
        List<NamespaceInfo> namespaces,
        List<SidecarInfo> sidecars,
        List<string> warnings,
        List<MeshVirtualService>? virtualServices = null,
        List<MeshDestinationRule>? destinationRules = null)
    {
        Options = options;
        this.podsByIp = LayeredMap<IpKey, PodInfo>.Freeze(podsByIp);
        this.hostNetworkIps = hostNetworkIps.ToFrozenSet();
        this.servicesByAddress = LayeredMap<AddressPort, MeshService>.Freeze(servicesByAddress);
        this.cidrRanges = [.. cidrRanges];
        this.hosts = LayeredNameMap<MeshService>.Freeze(hosts, StringComparer.OrdinalIgnoreCase);
        this.wildcardSuffixes = wildcardSuffixes.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        workloadsByKey = LayeredNameMap<Workload>.Freeze(workloads.Select(w => KeyValuePair.Create(w.Key, w)), StringComparer.Ordinal);
        namespacesByName = namespaces.ToFrozenDictionary(n => n.Name, StringComparer.Ordinal);
        sidecarsByNamespace = sidecars
            .GroupBy(s => s.Namespace, StringComparer.Ordinal)
            .ToFrozenDictionary(
                g => g.Key,
                g => g.OrderBy(s => s.IsNamespaceDefault).ThenBy(s => s.Created ?? DateTimeOffset.MaxValue).ThenBy(s => s.Name, StringComparer.Ordinal).ToArray(),
                StringComparer.Ordinal);
        Workloads = [.. workloads];
        Services = [.. services];
        _pods = [.. pods];
        Namespaces = [.. namespaces];
        Sidecars = [.. sidecars];
        Warnings = [.. warnings];
        VirtualServices = [.. virtualServices ?? []];
        DestinationRules = [.. destinationRules ?? []];
        PodParts = new MeshIndexPodParts(Workloads, Services);
    }

    /// <summary>A copy of <paramref name="previous"/> with new pod-dependent parts; every other part is shared.</summary>
    private MeshIndex(
        MeshIndex previous,
        LayeredMap<IpKey, PodInfo> podsByIp,
        LayeredMap<AddressPort, MeshService> servicesByAddress,
        LayeredNameMap<MeshService> hosts,
        LayeredNameMap<Workload> workloadsByKey,
        MeshIndexPodParts podParts)
    {
        Options = previous.Options;
        this.podsByIp = podsByIp;
        hostNetworkIps = previous.hostNetworkIps;
        this.servicesByAddress = servicesByAddress;
        cidrRanges = previous.cidrRanges;
        this.hosts = hosts;
        wildcardSuffixes = previous.wildcardSuffixes;
        this.workloadsByKey = workloadsByKey;
        namespacesByName = previous.namespacesByName;
        sidecarsByNamespace = previous.sidecarsByNamespace;
        Workloads = podParts.Workloads;
        Services = podParts.Services;
        Namespaces = previous.Namespaces;
        Sidecars = previous.Sidecars;
        Warnings = previous.Warnings;
        VirtualServices = previous.VirtualServices;
        DestinationRules = previous.DestinationRules;
        MeshConfig = previous.MeshConfig;
        AuthorizationPolicies = previous.AuthorizationPolicies;
        PodParts = podParts;
    }

    /// <summary>The pod-dependent parts, and what changed in them since the index they were updated from.</summary>
    internal MeshIndexPodParts PodParts { get; }

    public static MeshIndex Empty { get; } = new(MeshOptions.Default, [], [], [], [], [], [], [], [], [], [], [], []);

    public MeshOptions Options { get; }

    /// <summary>The mesh's MeshConfig (root namespace, outbound policy, export defaults, extension providers).</summary>
    public MeshConfig MeshConfig { get; init; } = MeshConfig.Default;

    /// <summary>Every workload, ordered by key.</summary>
    public IReadOnlyList<Workload> Workloads { get; }

    /// <summary>Every destination: Services (by namespace and name), then ServiceEntry hosts.</summary>
    public IReadOnlyList<MeshService> Services { get; }

    /// <summary>Every pod, by workload (in key order), then by namespace and name. After an update by parts it is made on first use.</summary>
    public IReadOnlyList<PodInfo> Pods
    {
        get
        {
            if (Volatile.Read(ref _pods) is { } pods)
            {
                return pods;
            }

            var made = new PodInfo[Workloads.Sum(static w => w.Pods.Count)];
            var at = 0;
            foreach (var workload in Workloads)
            {
                foreach (var pod in workload.Pods)
                {
                    made[at++] = pod;
                }
            }

            return Interlocked.CompareExchange(ref _pods, made, null) ?? made;
        }
    }

    public IReadOnlyList<NamespaceInfo> Namespaces { get; }

    /// <summary>Every Sidecar in the inventory, LazyMesh-managed or not.</summary>
    public IReadOnlyList<SidecarInfo> Sidecars { get; }

    /// <summary>VirtualServices bound to sidecars (gateway <c>mesh</c>), delegates merged, Gateway API mesh routes converted.</summary>
    public IReadOnlyList<MeshVirtualService> VirtualServices { get; }

    public IReadOnlyList<MeshDestinationRule> DestinationRules { get; }

    /// <summary>What the builder noticed and worked around (IP conflicts, missing owners, inexact selectors, ...).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The inventory's Istio AuthorizationPolicies, as read (the fallback compiles and evaluates them).</summary>
    public IReadOnlyList<Istio.AuthorizationPolicyResource> AuthorizationPolicies { get; init; } = [];

    /// <summary>
    /// The pod that owns <paramref name="ip"/> (when pods share an IP: a running one over a finished or
    /// terminating one, then the newest), or <see cref="PodIpMatch.HostNetwork"/> for a hostNetwork pod's IP.
    /// </summary>
    public PodIpMatch FindPod(IpKey ip, out PodInfo? pod)
    {
        if (podsByIp.TryGetValue(ip, out pod))
        {
            return PodIpMatch.Pod;
        }

        return hostNetworkIps.Contains(ip) ? PodIpMatch.HostNetwork : PodIpMatch.None;
    }

    /// <summary>
    /// The destination at <paramref name="ip"/>:<paramref name="port"/>: a ClusterIP, a ServiceEntry address
    /// (exact, then CIDR ranges in input order), or a ready pod of a headless Service (its target port and port).
    /// </summary>
    public MeshService? FindByAddress(IpKey ip, int port)
    {
        if (servicesByAddress.TryGetValue(new AddressPort(ip, port), out var service))
        {
            return service;
        }

        foreach (var range in cidrRanges)
        {
            if (range.Contains(ip, port))
            {
                return range.Service;
            }
        }

        return null;
    }

    /// <summary>
    /// A destination by host name, case-insensitive, trailing dot ignored: an exact Service FQDN or ServiceEntry
    /// host; then a headless Service's pod name (<c>pod.svc.ns.svc.cluster.local</c>); then the most specific
    /// ServiceEntry wildcard (<c>*.example.com</c> matches <c>a.example.com</c> and <c>a.b.example.com</c>).
    /// </summary>
    public MeshService? FindByHost(ReadOnlySpan<char> host)
    {
        if (host.EndsWith('.'))
        {
            host = host[..^1];
        }

        if (host.IsEmpty)
        {
            return null;
        }

        if (hosts.TryGetValue(host, out var service))
        {
            return service;
        }

        var firstDot = host.IndexOf('.');
        if (firstDot <= 0)
        {
            return null;
        }

        if (hosts.TryGetValue(host[(firstDot + 1)..], out service) && service.Kind == MeshServiceKind.HeadlessService)
        {
            return service;
        }

        for (var dot = firstDot; dot >= 0;)
        {
            if (wildcardSuffixes.TryGetValue(host[dot..], out service))
            {
                return service;
            }

            var next = host[(dot + 1)..].IndexOf('.');
            dot = next < 0 ? -1 : dot + 1 + next;
        }

        return null;
    }

    /// <summary>
    /// Resolves what a caller in <paramref name="callerNamespace"/> put in a Host header or authority, as the
    /// pod's DNS search path would: <c>name</c>, <c>name.ns</c>, <c>name.ns.svc</c>, the FQDN, ServiceEntry hosts
    /// and wildcards. A <c>:port</c> is ignored for names; an IP literal (<c>10.0.0.1:9080</c>,
    /// <c>[fd00::1]:80</c>) goes through <see cref="FindByAddress"/> with its port (80 when absent).
    /// </summary>
    [SkipLocalsInit] // The name buffer (1 KB) is written before it is read: not zeroed on every call of this hot path.
    public MeshService? ResolveName(ReadOnlySpan<char> authority, ReadOnlySpan<char> callerNamespace)
    {
        var host = authority.Trim();
        if (host.IsEmpty)
        {
            return null;
        }

        IpKey ip;
        int port;
        if (host[0] == '[')
        {
            return IpKey.TryParseEndpoint(host, out ip, out port) ? FindByAddress(ip, port == 0 ? 80 : port) : null;
        }

        port = 0;
        var colon = host.LastIndexOf(':');
        if (colon >= 0)
        {
            if (host[..colon].IndexOf(':') >= 0)
            {
                return IpKey.TryParse(host, out ip) ? FindByAddress(ip, 80) : null;
            }

            if (!IpKey.TryParsePort(host[(colon + 1)..], out port))
            {
                return null;
            }

            host = host[..colon];
        }

        if (IpKey.TryParse(host, out ip))
        {
            return FindByAddress(ip, port == 0 ? 80 : port);
        }

        if (host.EndsWith('.'))
        {
            return FindByHost(host);
        }

        if (host.IsEmpty || host.Length > MaxNameLength)
        {
            return null;
        }

        var domain = Options.ClusterDomain.AsSpan();
        Span<char> buffer = stackalloc char[(2 * MaxNameLength) + 80];
        MeshService? service;
        if (!callerNamespace.IsEmpty && callerNamespace.Length <= 63 &&
            (service = Exact(buffer, host, callerNamespace, ".svc.", domain)) is not null)
        {
            return service;
        }

        if ((service = Exact(buffer, host, default, "svc.", domain)) is not null ||
            (service = Exact(buffer, host, default, string.Empty, domain)) is not null)
        {
            return service;
        }

        return FindByHost(host);
    }

    public Workload? FindWorkload(string key) => workloadsByKey.GetValueOrDefault(key);

    /// <summary>
    /// True when <paramref name="workloadKey"/> shares pods with another workload, in either direction of
    /// <see cref="Workload.SharesPodsWith"/> (computed once per index: renderers ask it for every workload).
    /// </summary>
    public bool SharesPods(string workloadKey)
    {
        var sharers = Volatile.Read(ref _podSharers);
        if (sharers is null)
        {
            sharers = Workloads.Where(static w => w.SharesPodsWith.Count > 0)
                .SelectMany(static w => w.SharesPodsWith.Append(w.Key))
                .ToFrozenSet(StringComparer.Ordinal);
            Volatile.Write(ref _podSharers, sharers);
        }

        return sharers.Contains(workloadKey);
    }

    /// <summary>The destination that claims exactly this address and port (no CIDR range).</summary>
    internal MeshService? FindExactAddress(AddressPort key) => servicesByAddress.TryGetValue(key, out var service) ? service : null;

    /// <summary>Entries of the layered lookups not yet frozen into their base, being merged or not (pods by IP, addresses, hosts, workloads).</summary>
    internal int OverlayCount => podsByIp.OverlayCount + servicesByAddress.OverlayCount + hosts.OverlayCount + workloadsByKey.OverlayCount;

    /// <summary>How many of the layered lookups are merging an overlay into a new base (off the update path).</summary>
    internal int Merging => (podsByIp.Merging ? 1 : 0) + (servicesByAddress.Merging ? 1 : 0) + (hosts.Merging ? 1 : 0) + (workloadsByKey.Merging ? 1 : 0);

    /// <summary>
    /// This index after pod changes: the pod-dependent parts replaced, the lookups updated by <paramref name="podChanges"/>
    /// (IP to pod, null when released), <paramref name="addressChanges"/>, <paramref name="hostChanges"/> and
    /// <paramref name="workloadChanges"/>; everything else shared.
    /// </summary>
    internal MeshIndex WithPodParts(
        MeshIndexPodParts podParts,
        IEnumerable<KeyValuePair<IpKey, PodInfo?>> podChanges,
        IEnumerable<KeyValuePair<AddressPort, MeshService?>> addressChanges,
        IEnumerable<KeyValuePair<string, MeshService?>> hostChanges,
        IEnumerable<KeyValuePair<string, Workload?>> workloadChanges,
        LayerMergePolicy merges) =>
        new(
            this,
            podsByIp.With(podChanges, merges),
            servicesByAddress.With(addressChanges, merges),
            hosts.With(hostChanges, merges),
            workloadsByKey.With(workloadChanges, merges),
            podParts);

    public NamespaceInfo? FindNamespace(string name) => namespacesByName.GetValueOrDefault(name);

    /// <summary>
    /// User-written (not LazyMesh-managed) Sidecars with a workload selector that matches any of the workload's pods,
    /// in istiod's order (oldest first). A generated Sidecar would compete with them (push_context.go
    /// <c>doGetSidecarScope</c> picks the first match), so they are conflicts. Namespace and root-namespace defaults
    /// are not: a selecting Sidecar replaces them (see <see cref="DefaultSidecar"/>).
    /// </summary>
    public IReadOnlyList<SidecarInfo> SidecarsSelecting(Workload workload)
    {
        if (!sidecarsByNamespace.TryGetValue(workload.Namespace, out var candidates))
        {
            return [];
        }

        List<SidecarInfo>? result = null;
        foreach (var sidecar in candidates)
        {
            if (!sidecar.ManagedByLazyMesh && !sidecar.IsNamespaceDefault && Selects(sidecar, workload))
            {
                (result ??= []).Add(sidecar);
            }
        }

        return result is null ? [] : result;
    }

    /// <summary>
    /// The user's selector-less Sidecar that applies to the workload when no selecting one does (push_context.go
    /// <c>doGetSidecarScope</c>): its namespace's default (oldest when several), else the root namespace's
    /// (<see cref="MeshMeshConfig.RootNamespace"/>). It is the baseline of the Sidecar LazyMesh generates there.
    /// </summary>
    public SidecarInfo? DefaultSidecar(Workload workload)
    {
        if (sidecarsByNamespace.TryGetValue(workload.Namespace, out var candidates)
            && candidates.FirstOrDefault(static s => s.IsNamespaceDefault && !s.ManagedByLazyMesh) is { } own)
        {
            return own;
        }

        return workload.Namespace != MeshConfig.RootNamespace && sidecarsByNamespace.TryGetValue(MeshConfig.RootNamespace, out var root)
            ? root.FirstOrDefault(static s => s.IsNamespaceDefault && !s.ManagedByLazyMesh)
            : null;
    }

    /// <summary>
    /// The VirtualServices a sidecar in <paramref name="callerNamespace"/> selects when it imports <paramref name="host"/>
    /// from the VirtualService's own namespace (virtualservice.go <c>SelectVirtualServices</c>): visible to the
    /// caller by exportTo, with a host that matches.
    /// </summary>
    public IReadOnlyList<MeshVirtualService> VirtualServicesFor(string host, string callerNamespace)
    {
        List<MeshVirtualService>? result = null;
        foreach (var vs in VirtualServices)
        {
            if (vs.MatchesHost(host) && ExportTo.IsVisible(vs.ExportTo, MeshConfig.DefaultVirtualServiceExportTo, vs.Namespace, callerNamespace))
            {
                (result ??= []).Add(vs);
            }
        }

        return result is null ? [] : result;
    }

    /// <summary>
    /// The Sidecar Istio applies to the workload's proxies, managed or not: a selecting Sidecar in its
    /// namespace (selector ones first, oldest first), else its namespace's default, else the root
    /// namespace's default; null when none applies (full mesh configuration).
    /// </summary>
    public SidecarInfo? ApplicableSidecar(Workload workload, string rootNamespace = "istio-system")
    {
        if (sidecarsByNamespace.TryGetValue(workload.Namespace, out var candidates))
        {
            foreach (var sidecar in candidates)
            {
                if (Selects(sidecar, workload))
                {
                    return sidecar;
                }
            }
        }

        if (workload.Namespace != rootNamespace && sidecarsByNamespace.TryGetValue(rootNamespace, out var root))
        {
            return root.FirstOrDefault(static s => s.IsNamespaceDefault);
        }

        return null;
    }

    /// <summary>A selector Sidecar selects the workload when it matches any of its pods (or, with no pods, its selector labels).</summary>
    private static bool Selects(SidecarInfo sidecar, Workload workload) =>
        sidecar.SelectorLabels is not { } selector ||
        workload.Pods.Any(p => Labels.Matches(selector, p.Labels)) ||
        (workload.Pods.Count == 0 && Labels.Matches(selector, workload.SelectorLabels));

    /// <summary>Looks up <c>host + "." + ns + middle + domain</c> (ns omitted when empty) without allocating.</summary>
    private MeshService? Exact(Span<char> buffer, ReadOnlySpan<char> host, ReadOnlySpan<char> ns, ReadOnlySpan<char> middle, ReadOnlySpan<char> domain)
    {
        var length = host.Length + 1 + (ns.IsEmpty ? 0 : ns.Length) + middle.Length + domain.Length;
        if (length > buffer.Length)
        {
            return null;
        }

        var at = 0;
        host.CopyTo(buffer);
        at += host.Length;
        buffer[at++] = '.';
        ns.CopyTo(buffer[at..]);
        at += ns.Length;
        middle.CopyTo(buffer[at..]);
        at += middle.Length;
        domain.CopyTo(buffer[at..]);
        at += domain.Length;
        return hosts.TryGetValue(buffer[..at], out var service) ? service : null;
    }
}
