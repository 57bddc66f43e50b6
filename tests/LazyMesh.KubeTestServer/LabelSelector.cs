using System.Text.Json.Nodes;

namespace LazyMesh.KubeTesting;

/// <summary>
/// A parsed label selector: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a</c>, <c>!a</c>, <c>a in (x,y)</c>,
/// <c>a notin (x,y)</c>, comma-separated and ANDed.
/// </summary>
internal sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = [];

    public static LabelSelector Everything { get; } = new();

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var raw in SplitTopLevel(text))
        {
            var term = raw.Trim();
            if (term.Length == 0)
            {
                continue;
            }

            selector._requirements.Add(ParseTerm(term));
        }

        return selector;
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.TrueForAll(r => r(labels));

    public static IReadOnlyDictionary<string, string> LabelsOf(JsonObject obj)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"] is JsonObject meta && meta["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                result[key] = value?.ToString() ?? "";
            }
        }

        return result;
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseTerm(string term)
    {
        if (term.StartsWith('!'))
        {
            var key = term[1..].Trim();
            return labels => !labels.ContainsKey(key);
        }

        int idx;
        if ((idx = term.IndexOf("!=", StringComparison.Ordinal)) > 0)
        {
            var key = term[..idx].Trim();
            var value = term[(idx + 2)..].Trim();
            return labels => !labels.TryGetValue(key, out var v) || v != value;
        }

        if ((idx = term.IndexOf("==", StringComparison.Ordinal)) > 0)
        {
            var key = term[..idx].Trim();
            var value = term[(idx + 2)..].Trim();
            return labels => labels.TryGetValue(key, out var v) && v == value;
        }

        if ((idx = term.IndexOf('=', StringComparison.Ordinal)) > 0)
        {
            var key = term[..idx].Trim();
            var value = term[(idx + 1)..].Trim();
            return labels => labels.TryGetValue(key, out var v) && v == value;
        }

        var paren = term.IndexOf('(', StringComparison.Ordinal);
        if (paren > 0 && term.EndsWith(')'))
        {
            var head = term[..paren].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var values = term[(paren + 1)..^1].Split(',').Select(v => v.Trim()).ToHashSet(StringComparer.Ordinal);
            if (head.Length == 2 && head[1] == "in")
            {
                var key = head[0];
                return labels => labels.TryGetValue(key, out var v) && values.Contains(v);
            }

            if (head.Length == 2 && head[1] == "notin")
            {
                var key = head[0];
                return labels => !labels.TryGetValue(key, out var v) || !values.Contains(v);
            }

            throw KubeApiException.BadRequest($"unable to parse requirement: {term}");
        }

        if (term.Contains(' ', StringComparison.Ordinal))
        {
            throw KubeApiException.BadRequest($"unable to parse requirement: {term}");
        }

        return labels => labels.ContainsKey(term);
    }

    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(text[start..i]);
                    start = i + 1;
                    break;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }
}
