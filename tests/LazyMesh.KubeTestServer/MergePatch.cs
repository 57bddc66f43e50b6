using System.Text.Json.Nodes;

namespace LazyMesh.KubeTesting;

/// <summary>JSON merge patch (RFC 7386). Also used for strategic merge patch, whose list merging is not modelled.</summary>
internal static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            result.TryGetPropertyValue(key, out var existing);
            result.Remove(key);
            result[key] = Apply(existing, value);
        }

        return result;
    }
}
