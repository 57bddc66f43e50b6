using System.Text.Json.Nodes;

namespace LazyMesh.Install;

/// <summary>What differs between two versions of an object, ignoring what the server maintains. Pure.</summary>
public static class ObjectDiff
{
    private static readonly string[] ServerMetadata = ["managedFields", "resourceVersion", "generation", "creationTimestamp", "uid", "selfLink"];

    /// <summary>Dotted paths that differ (<c>spec.replicas</c>, <c>metadata.labels</c>), at most three levels deep; empty when equal.</summary>
    public static IReadOnlyList<string> ChangedPaths(JsonObject? before, JsonObject? after)
    {
        var paths = new List<string>();
        Compare(Normalize(before), Normalize(after), "", 0, paths);
        return paths;
    }

    private static JsonObject Normalize(JsonObject? obj)
    {
        var copy = obj?.DeepClone() as JsonObject ?? [];
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var key in ServerMetadata)
            {
                metadata.Remove(key);
            }
        }

        return copy;
    }

    private static void Compare(JsonNode? a, JsonNode? b, string path, int depth, List<string> paths)
    {
        if (JsonNode.DeepEquals(a, b))
        {
            return;
        }

        if (a is JsonObject oa && b is JsonObject ob && depth < 3)
        {
            foreach (var key in oa.Select(p => p.Key).Union(ob.Select(p => p.Key)).Order(StringComparer.Ordinal))
            {
                Compare(oa[key], ob[key], path.Length == 0 ? key : path + "." + key, depth + 1, paths);
            }

            return;
        }

        paths.Add(path.Length == 0 ? "(object)" : path);
    }
}
