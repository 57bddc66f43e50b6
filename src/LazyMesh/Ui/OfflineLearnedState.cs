using System.Text.Json;
using LazyMesh.Learning;
using LazyMesh.Rendering;
using LazyMesh.Sinks;

namespace LazyMesh.Ui;

/// <summary>
/// What a directory of generated Sidecars says was learned (<c>lazymesh ui --sidecars DIR</c>): each managed
/// Sidecar's egress hosts except the baseline ones, with first and last seen from the controller's state in
/// <c>DIR/.lazymesh</c> when it is there (read only: a running controller's files are never touched).
/// </summary>
public static class OfflineLearnedState
{
    public static DependencyStore Load(string sidecarsDir, IReadOnlyCollection<string> baselineHosts, ICollection<string> problems)
    {
        var times = ReadPersisted(Path.Combine(sidecarsDir, ".lazymesh"), problems);
        var store = new DependencyStore(int.MaxValue);
        var sidecars = DirectorySink.ReadDirectory(sidecarsDir, out var readProblems);
        foreach (var stored in sidecars.Where(static s => s.IsManaged))
        {
            if (stored.Sidecar.Metadata.Annotations?.TryGetValue(LazyMeshMetadata.WorkloadAnnotation, out var key) != true || key is null)
            {
                problems.Add($"{stored.Path}: managed Sidecar without the {LazyMeshMetadata.WorkloadAnnotation} annotation, skipped");
                continue;
            }

            foreach (var host in stored.Sidecar.Spec?.Egress?.SelectMany(static e => e.Hosts) ?? [])
            {
                if (baselineHosts.Contains(host) || host.EndsWith("/*", StringComparison.Ordinal))
                {
                    continue;
                }

                var (first, last) = times.GetValueOrDefault((key, host));
                store.Restore(key, host, first, last);
            }
        }

        foreach (var problem in readProblems)
        {
            problems.Add(problem);
        }

        return store;
    }

    private static Dictionary<(string, string), (long, long)> ReadPersisted(string stateDir, ICollection<string> problems)
    {
        var times = new Dictionary<(string, string), (long, long)>();
        void Add(PersistedEdge? edge)
        {
            if (edge is null)
            {
                return;
            }

            var (first, last) = times.GetValueOrDefault((edge.Workload, edge.Host));
            times[(edge.Workload, edge.Host)] = (first == 0 ? edge.FirstSeenUnixMs : Math.Min(first, edge.FirstSeenUnixMs), Math.Max(last, edge.LastSeenUnixMs));
        }

        var snapshot = Path.Combine(stateDir, "edges.json");
        var journal = Path.Combine(stateDir, "edges.journal");
        try
        {
            if (File.Exists(snapshot))
            {
                foreach (var edge in JsonSerializer.Deserialize(File.ReadAllBytes(snapshot), PersistedEdgeJson.Default.ListPersistedEdge) ?? [])
                {
                    Add(edge);
                }
            }

            if (File.Exists(journal))
            {
                foreach (var line in File.ReadLines(journal).Where(static l => l.Length > 0))
                {
                    try
                    {
                        Add(JsonSerializer.Deserialize(line, PersistedEdgeJson.Default.PersistedEdge));
                    }
                    catch (JsonException)
                    {
                        problems.Add($"{journal}: a torn or malformed line was skipped");
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            problems.Add($"{stateDir}: learned times unavailable ({ex.Message})");
        }

        return times;
    }
}
