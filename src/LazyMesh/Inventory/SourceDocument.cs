using System.Text.Json.Nodes;

namespace LazyMesh.Inventory;

/// <summary>
/// One parsed YAML document or JSON value (or one item of a streamed list), with the 1-based line of every shallow
/// object (the root and the items of a List), so that errors can name the line an object starts at.
/// <paramref name="DefaultKind"/> and <paramref name="DefaultApiVersion"/> are those of a typed list (e.g. a
/// <c>PodList</c>) whose items were streamed without a kind of their own. <paramref name="Problem"/> is set (and
/// <paramref name="Root"/> null) for a document skipped for going past <see cref="InventoryLimits"/>.
/// </summary>
internal readonly record struct SourceDocument(JsonNode? Root, int Line, IReadOnlyDictionary<JsonNode, int> ObjectLines, string? DefaultKind = null, string? DefaultApiVersion = null, string? Problem = null)
{
    public int LineOf(JsonNode node) => ObjectLines.TryGetValue(node, out var line) ? line : Line;
}
