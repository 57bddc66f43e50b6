using System.Text.Json.Nodes;

namespace LazyMesh.KubeTesting;

/// <summary>
/// Field paths at the granularity the server tracks ownership (a simplification of structured-merge-diff's
/// full field sets): each child of a top-level object field
/// (<c>spec.replicas</c>, <c>data.key</c>, <c>status.conditions</c>), a top-level field that is not an object,
/// each label and annotation, and <c>metadata.ownerReferences</c> / <c>metadata.finalizers</c> as wholes.
/// A path is its segments joined by '\n'.
/// </summary>
internal static class FieldPaths
{
    public const char Separator = '\n';

    private static readonly string[] TrackedMetadataMaps = ["labels", "annotations"];
    private static readonly string[] TrackedMetadataLeaves = ["ownerReferences", "finalizers"];

    /// <summary>The tracked paths present in <paramref name="obj"/>.</summary>
    /// <param name="obj">The object.</param>
    /// <param name="hasStatusSubresource">Whether status belongs to a separate subresource.</param>
    /// <param name="statusOnly">True for a write through /status: only status paths count.</param>
    public static HashSet<string> Enumerate(JsonObject? obj, bool hasStatusSubresource, bool statusOnly)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        if (obj is null)
        {
            return paths;
        }

        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind")
            {
                continue;
            }

            if (key == "metadata")
            {
                if (!statusOnly && value is JsonObject meta)
                {
                    foreach (var map in TrackedMetadataMaps)
                    {
                        if (meta[map] is JsonObject entries)
                        {
                            foreach (var (entry, _) in entries)
                            {
                                paths.Add(Join("metadata", map, entry));
                            }
                        }
                    }

                    foreach (var leaf in TrackedMetadataLeaves)
                    {
                        if (meta.ContainsKey(leaf))
                        {
                            paths.Add(Join("metadata", leaf));
                        }
                    }
                }

                continue;
            }

            var isStatus = key == "status";
            if (statusOnly ? !isStatus : isStatus && hasStatusSubresource)
            {
                continue;
            }

            if (value is JsonObject child)
            {
                // An empty map owns nothing: applying {} must not wipe fields other managers own.
                foreach (var (childKey, _) in child)
                {
                    paths.Add(Join(key, childKey));
                }
            }
            else
            {
                paths.Add(key);
            }
        }

        return paths;
    }

    public static string Join(params string[] segments) => string.Join(Separator, segments);

    public static string Display(string path) => "." + path.Replace(Separator, '.');

    public static JsonNode? ValueAt(JsonObject? obj, string path)
    {
        JsonNode? node = obj;
        foreach (var segment in path.Split(Separator))
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(segment, out node))
            {
                return null;
            }
        }

        return node;
    }

    public static bool Has(JsonObject obj, string path)
    {
        var segments = path.Split(Separator);
        JsonNode? node = obj;
        foreach (var segment in segments)
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(segment, out node))
            {
                return false;
            }
        }

        return true;
    }

    public static void Set(JsonObject obj, string path, JsonNode? value)
    {
        var segments = path.Split(Separator);
        var current = obj;
        foreach (var segment in segments[..^1])
        {
            if (current[segment] is not JsonObject next)
            {
                next = new JsonObject();
                current.Remove(segment);
                current[segment] = next;
            }

            current = next;
        }

        current.Remove(segments[^1]);
        current[segments[^1]] = value;
    }

    public static void Remove(JsonObject obj, string path)
    {
        var segments = path.Split(Separator);
        JsonNode? node = obj;
        foreach (var segment in segments[..^1])
        {
            node = node is JsonObject o ? o[segment] : null;
        }

        if (node is JsonObject parent)
        {
            parent.Remove(segments[^1]);
        }
    }

    /// <summary>Renders paths in the managedFields <c>fieldsV1</c> format (<c>{"f:spec":{"f:replicas":{}}}</c>).</summary>
    public static JsonObject ToFieldsV1(IEnumerable<string> paths)
    {
        var root = new JsonObject();
        foreach (var path in paths.OrderBy(p => p, StringComparer.Ordinal))
        {
            var current = root;
            foreach (var segment in path.Split(Separator))
            {
                var key = "f:" + segment;
                if (current[key] is not JsonObject next)
                {
                    next = new JsonObject();
                    current[key] = next;
                }

                current = next;
            }
        }

        return root;
    }

    public static HashSet<string> FromFieldsV1(JsonObject? fields)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        if (fields is not null)
        {
            Collect(fields, [], paths);
        }

        return paths;
    }

    private static void Collect(JsonObject node, List<string> prefix, HashSet<string> paths)
    {
        var children = node.Where(kv => kv.Key.StartsWith("f:", StringComparison.Ordinal)).ToList();
        if (children.Count == 0)
        {
            if (prefix.Count > 0)
            {
                paths.Add(string.Join(Separator, prefix));
            }

            return;
        }

        foreach (var (key, value) in children)
        {
            prefix.Add(key[2..]);
            Collect(value as JsonObject ?? [], prefix, paths);
            prefix.RemoveAt(prefix.Count - 1);
        }
    }
}
