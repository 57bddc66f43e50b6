using System.Text.Json.Nodes;

namespace LazyMesh.Inventory;

/// <summary>
/// One parsed YAML document or JSON value, with the 1-based line of every shallow object (the root and the
/// items of a List), so that errors can name the line an object starts at.
/// </summary>
internal readonly record struct SourceDocument(JsonNode? Root, int Line, IReadOnlyDictionary<JsonNode, int> ObjectLines)
{
    public int LineOf(JsonNode node) => ObjectLines.TryGetValue(node, out var line) ? line : Line;
}
