using System.Text.Json.Nodes;
using LazyMesh.Inventory;

namespace LazyMesh.Rendering;

/// <summary>
/// YAML → JSON trees, through the inventory's YAML reader so that there is one YAML dialect in the
/// project: plain scalars typed by the YAML 1.2 core schema (null, booleans, integers, floats), quoted
/// and block scalars strings, anchors and merge keys resolved.
/// </summary>
public static class YamlJson
{
    private const string SourceName = "<yaml>";

    /// <summary>Every document of a YAML stream; empty documents give null.</summary>
    /// <exception cref="InventoryException">The text is not valid YAML (the message names the line).</exception>
    public static IReadOnlyList<JsonNode?> ParseAll(string yaml, string sourceName = SourceName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        using var reader = new StringReader(yaml);
        return [.. YamlDocumentReader.Read(reader, sourceName).Select(static d => d.Root)];
    }

    /// <summary>The single document of <paramref name="yaml"/>. JSON is YAML, so JSON text works too.</summary>
    public static JsonNode? Parse(string yaml)
    {
        var documents = ParseAll(yaml);
        return documents.Count switch
        {
            0 => null,
            1 => documents[0],
            _ => throw new FormatException($"Expected one YAML document, found {documents.Count}."),
        };
    }
}
