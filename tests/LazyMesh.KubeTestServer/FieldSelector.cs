using System.Text.Json.Nodes;

namespace LazyMesh.KubeTesting;

/// <summary>
/// A parsed field selector: comma-separated <c>path=value</c>, <c>path==value</c> or <c>path!=value</c>, where
/// path is a dotted JSON path such as <c>metadata.name</c>, <c>metadata.namespace</c> or <c>status.phase</c>.
/// </summary>
internal sealed class FieldSelector
{
    private readonly List<(string[] Path, string Value, bool Negated)> _terms = [];

    public static FieldSelector Everything { get; } = new();

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            if (term.Length == 0)
            {
                continue;
            }

            int idx;
            if ((idx = term.IndexOf("!=", StringComparison.Ordinal)) > 0)
            {
                selector._terms.Add((term[..idx].Trim().Split('.'), term[(idx + 2)..].Trim(), true));
            }
            else if ((idx = term.IndexOf("==", StringComparison.Ordinal)) > 0)
            {
                selector._terms.Add((term[..idx].Trim().Split('.'), term[(idx + 2)..].Trim(), false));
            }
            else if ((idx = term.IndexOf('=', StringComparison.Ordinal)) > 0)
            {
                selector._terms.Add((term[..idx].Trim().Split('.'), term[(idx + 1)..].Trim(), false));
            }
            else
            {
                throw KubeApiException.BadRequest($"invalid selector: '{text}'; can't understand '{term}'");
            }
        }

        return selector;
    }

    /// <summary>True when the selector has no terms (everything matches, nothing needs reading).</summary>
    public bool IsEmpty => _terms.Count == 0;

    public bool Matches(JsonObject obj)
    {
        foreach (var (path, value, negated) in _terms)
        {
            JsonNode? node = obj;
            foreach (var segment in path)
            {
                node = node is JsonObject o ? o[segment] : null;
            }

            var actual = node switch
            {
                null => "",
                JsonValue v => v.ToString(),
                _ => node.ToJsonString(),
            };
            if ((actual == value) == negated)
            {
                return false;
            }
        }

        return true;
    }
}
