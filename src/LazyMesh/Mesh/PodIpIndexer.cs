namespace LazyMesh.Mesh;

/// <summary>
/// Pods by IP, with IP reuse resolved: a running pod over a pending one over a terminating one over a finished one,
/// then the newest; hostNetwork pods' IPs are the node's and attribute to no pod.
/// </summary>
internal static class PodIpIndexer
{
    public static (Dictionary<IpKey, PodInfo> PodsByIp, HashSet<IpKey> HostNetworkIps) Index(IEnumerable<PodInfo> pods, List<string> warnings)
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
}
