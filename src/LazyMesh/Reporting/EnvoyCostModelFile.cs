using System.Text.Json;
using System.Text.Json.Nodes;
using LazyMesh.Inventory;
using LazyMesh.Rendering;

namespace LazyMesh.Reporting;

/// <summary>
/// Reads a cost model from a JSON or YAML file (docs/cost-model.md): any of <c>bytesPerCluster</c>,
/// <c>bytesPerEndpoint</c>, <c>pushBytesPerCluster</c> (positive integers) and <c>source</c> (text); what the file
/// leaves out keeps its default. Unknown keys are refused, so a typo cannot silently keep a default.
/// </summary>
public static class EnvoyCostModelFile
{
    private static readonly string[] Keys = ["source", "bytesPerCluster", "bytesPerEndpoint", "pushBytesPerCluster"];

    /// <exception cref="InvalidDataException">The file is not a cost model; the message names the file and the field.</exception>
    public static EnvoyCostModel Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"cost model '{path}': cannot read it ({ex.Message})", ex);
        }

        return Parse(text, path);
    }

    public static EnvoyCostModel Parse(string text, string name)
    {
        JsonNode? root;
        try
        {
            root = YamlJson.Parse(text);
        }
        catch (Exception ex) when (ex is InventoryException or FormatException or JsonException)
        {
            throw new InvalidDataException($"cost model '{name}': not JSON or YAML ({ex.Message})", ex);
        }

        if (root is not JsonObject obj)
        {
            throw new InvalidDataException($"cost model '{name}': expected a mapping with {string.Join(", ", Keys)}");
        }

        foreach (var (key, _) in obj)
        {
            if (!Keys.Contains(key, StringComparer.Ordinal))
            {
                throw new InvalidDataException($"cost model '{name}': unknown field '{key}' (known: {string.Join(", ", Keys)})");
            }
        }

        var model = EnvoyCostModel.Default;
        return model with
        {
            Source = obj["source"] is { } source ? Text(source, name) : $"{name} (with defaults: {model.Source})",
            BytesPerCluster = Positive(obj, "bytesPerCluster", model.BytesPerCluster, name),
            BytesPerEndpoint = Positive(obj, "bytesPerEndpoint", model.BytesPerEndpoint, name),
            PushBytesPerCluster = Positive(obj, "pushBytesPerCluster", model.PushBytesPerCluster, name),
        };
    }

    private static string Text(JsonNode node, string name) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text)
            ? text
            : throw new InvalidDataException($"cost model '{name}': source must be a non-empty string");

    private static long Positive(JsonObject obj, string key, long fallback, string name)
    {
        if (obj[key] is not { } node)
        {
            return fallback;
        }

        return node.GetValueKind() == JsonValueKind.Number
            && long.TryParse(node.ToJsonString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && number > 0
            ? number
            : throw new InvalidDataException($"cost model '{name}': {key} must be a positive integer, not {node.ToJsonString()}");
    }
}
