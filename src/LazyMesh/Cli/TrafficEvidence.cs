using LazyMesh.AccessLogs;
using LazyMesh.Attribution;
using LazyMesh.Mesh;

namespace LazyMesh.Cli;

/// <summary>
/// What offline logs show besides edges, for <c>lazymesh recommend</c>: which workloads' proxies they cover (as caller
/// of an outbound entry, or as the pod an inbound entry arrived at), how many entries were usable, and the calls a
/// workload made that no inventory destination explains (a narrowed Sidecar would send those to the fallback or
/// passthrough, not where they went). Passes every event on to <paramref name="inner"/>.
/// </summary>
public sealed class TrafficEvidence(MeshIndex index, IAccessEventSink inner) : IAccessEventSink
{
    private const int MaxExamples = 3;

    public Dictionary<string, long> EntriesByWorkload { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, (long Count, List<string> Examples)> UnexplainedByWorkload { get; } = new(StringComparer.Ordinal);

    /// <summary>Entries attributed to a known workload (as caller or as receiving proxy).</summary>
    public long Usable { get; private set; }

    public void OnEvent(scoped in AccessEvent accessEvent)
    {
        inner.OnEvent(accessEvent);
        var reason = EventAttribution.Attribute(index, accessEvent, out var source, out _);
        if (source is not null)
        {
            Count(source.Key);
            if (reason == SkipReason.UnknownDestination)
            {
                var what = !accessEvent.Authority.IsEmpty
                    ? accessEvent.Authority.ToString()
                    : $"{accessEvent.OriginalDestinationAddress}:{accessEvent.OriginalDestinationPort}";
                if (!UnexplainedByWorkload.TryGetValue(source.Key, out var unexplained))
                {
                    unexplained = (0, []);
                }

                if (unexplained.Examples.Count < MaxExamples && !unexplained.Examples.Contains(what))
                {
                    unexplained.Examples.Add(what);
                }

                UnexplainedByWorkload[source.Key] = (unexplained.Count + 1, unexplained.Examples);
            }

            return;
        }

        // An inbound entry was written by the receiving pod's proxy: the log covers that workload.
        if (reason == SkipReason.Inbound && IpKey.TryParse(accessEvent.OriginalDestinationAddress, out var ip)
            && index.FindPod(ip, out var pod) == PodIpMatch.Pod)
        {
            Count(pod!.Workload.Key);
        }
    }

    private void Count(string workloadKey)
    {
        Usable++;
        EntriesByWorkload[workloadKey] = EntriesByWorkload.GetValueOrDefault(workloadKey) + 1;
    }
}
