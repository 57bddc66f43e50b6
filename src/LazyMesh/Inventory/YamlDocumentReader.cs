using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LazyMesh.Inventory;

/// <summary>
/// Streams the documents of a YAML input as <see cref="JsonNode"/> trees. Plain scalars are typed by the
/// YAML 1.2 core schema (null, booleans, integers, floats; a leading-zero integer is octal as in go-yaml);
/// quoted, block and <c>!!str</c>-tagged scalars are strings. Anchors, aliases and <c>&lt;&lt;</c> merge keys
/// are supported; duplicate mapping keys are an error.
/// </summary>
internal sealed partial class YamlDocumentReader
{
    private const string StrTag = "tag:yaml.org,2002:str";

    private readonly IParser parser;
    private readonly string filePath;
    private readonly Dictionary<string, JsonNode?> anchors = new(StringComparer.Ordinal);
    private Dictionary<JsonNode, int> lines = new(ReferenceEqualityComparer.Instance);
    private bool started;

    private YamlDocumentReader(TextReader reader, string filePath)
    {
        parser = new Parser(reader);
        this.filePath = filePath;
    }

    public static IEnumerable<SourceDocument> Read(TextReader reader, string filePath)
    {
        var state = new YamlDocumentReader(reader, filePath);
        while (state.Next() is { } document)
        {
            yield return document;
        }
    }

    private SourceDocument? Next()
    {
        try
        {
            if (!started)
            {
                parser.Consume<StreamStart>();
                started = true;
            }

            if (parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }

            var start = parser.Consume<DocumentStart>();
            anchors.Clear();
            lines = new Dictionary<JsonNode, int>(ReferenceEqualityComparer.Instance);
            var line = parser.Current is { } current ? LineOf(current.Start) : LineOf(start.Start);
            var root = ReadNode(0);
            parser.Consume<DocumentEnd>();
            return new SourceDocument(root, line, lines);
        }
        catch (YamlException ex)
        {
            throw new InventoryException(filePath, LineOf(ex.Start), "invalid YAML: " + StripMark(ex.Message), ex);
        }
        catch (IOException ex)
        {
            throw new InventoryException(filePath, 0, "cannot read: " + ex.Message, ex);
        }
    }

    private JsonNode? ReadNode(int depth)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw new InventoryException(filePath, LineOf(alias.Start), $"unknown alias *{alias.Value.Value}");
            }

            return target?.DeepClone();
        }

        if (parser.TryConsume<Scalar>(out var scalar))
        {
            var value = ConvertScalar(scalar);
            Remember(scalar.Anchor, value);
            return value;
        }

        if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                array.Add(ReadNode(depth + 1));
            }

            Remember(sequenceStart.Anchor, array);
            return array;
        }

        var mappingStart = parser.Consume<MappingStart>();
        var obj = new JsonObject();
        if (depth <= 2)
        {
            lines[obj] = LineOf(mappingStart.Start);
        }

        HashSet<string>? merged = null;
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = parser.Consume<Scalar>();
            var value = ReadNode(depth + 1);
            if (key.Value == "<<" && key.Style == ScalarStyle.Plain)
            {
                merged ??= new HashSet<string>(StringComparer.Ordinal);
                Merge(obj, value, merged, key);
                continue;
            }

            if (obj.ContainsKey(key.Value))
            {
                if (merged is null || !merged.Remove(key.Value))
                {
                    throw new InventoryException(filePath, LineOf(key.Start), $"duplicate key '{key.Value}'");
                }
            }

            obj[key.Value] = value;
        }

        Remember(mappingStart.Anchor, obj);
        return obj;
    }

    private void Merge(JsonObject target, JsonNode? source, HashSet<string> merged, Scalar key)
    {
        switch (source)
        {
            case JsonObject map:
                foreach (var (name, value) in map)
                {
                    if (!target.ContainsKey(name))
                    {
                        target[name] = value?.DeepClone();
                        merged.Add(name);
                    }
                }

                break;
            case JsonArray maps:
                foreach (var item in maps)
                {
                    Merge(target, item, merged, key);
                }

                break;
            default:
                throw new InventoryException(filePath, LineOf(key.Start), "a << merge key needs a mapping or a list of mappings");
        }
    }

    private void Remember(AnchorName anchor, JsonNode? node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }
    }

    private static JsonNode? ConvertScalar(Scalar scalar)
    {
        var text = scalar.Value;
        if (scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && (scalar.Tag.Value == StrTag || scalar.Tag.Value == "!!str")))
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(text))
        {
            var negative = text[0] == '-';
            var digits = text.TrimStart('+', '-');
            if (digits.Length > 1 && digits[0] == '0' && digits.All(c => c is >= '0' and <= '7'))
            {
                var octal = Convert.ToInt64(digits, 8);
                return JsonValue.Create(negative ? -octal : octal);
            }

            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                return JsonValue.Create(integer);
            }
        }
        else if (text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }
        else if (text.StartsWith("0o", StringComparison.Ordinal) && text.Length > 2 && text.AsSpan(2).IndexOfAnyExceptInRange('0', '7') < 0)
        {
            return JsonValue.Create(Convert.ToInt64(text[2..], 8));
        }
        else if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }

    private static int LineOf(Mark mark) => (int)mark.Line;

    private static string StripMark(string message)
    {
        var match = MarkPrefixPattern().Match(message);
        return match.Success ? message[match.Length..] : message;
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefixPattern();
}
