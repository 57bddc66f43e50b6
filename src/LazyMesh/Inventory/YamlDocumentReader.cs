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
/// <para>
/// Bounded (issue 11): nesting deeper than <see cref="InventoryLimits.MaxDepth"/>, aliases that would add more than
/// <see cref="InventoryLimits.MaxAliasNodes"/> nodes to a document (a 447-byte "billion laughs" grew past 3 GB), and
/// an object longer than <see cref="InventoryLimits.MaxObjectBytes"/> characters stop the document at once. With
/// <c>skipOverLimitDocuments</c> that document is then skipped with a <c>file:line</c> problem and the next one read;
/// otherwise the limit is an <see cref="InventoryException"/>.
/// </para>
/// </summary>
internal sealed partial class YamlDocumentReader
{
    private const string StrTag = "tag:yaml.org,2002:str";

    private readonly IParser parser;
    private readonly IScanner scanner;
    private readonly string filePath;
    private readonly Dictionary<string, JsonNode?> anchors = new(StringComparer.Ordinal);
    private readonly bool skipOverLimitDocuments;
    private Dictionary<JsonNode, int> lines = new(ReferenceEqualityComparer.Instance);
    private bool started;
    private long aliasNodes;

    // An inventory document's root mapping, while it is read key by key (ContinueRoot).
    private JsonObject? listRoot;
    private MappingStart? rootStart;
    private int rootLine;
    private HashSet<string>? rootMerged;
    private bool inItems;
    private bool streamedItems;
    private string? itemKind;
    private string? itemApiVersion;

    private YamlDocumentReader(TextReader reader, string filePath, bool skipOverLimitDocuments)
    {
        scanner = new FlowDepthLimitedScanner(reader, filePath);
        parser = new Parser(scanner);
        this.filePath = filePath;
        this.skipOverLimitDocuments = skipOverLimitDocuments;
    }

    public static IEnumerable<SourceDocument> Read(TextReader reader, string filePath, bool skipOverLimitDocuments = false)
    {
        var state = new YamlDocumentReader(reader, filePath, skipOverLimitDocuments);
        while (state.Next() is { } document)
        {
            yield return document;
        }
    }

    private SourceDocument? Next()
    {
        try
        {
            while (true)
            {
                if (listRoot is not null)
                {
                    if (ContinueRootOrSkip() is { } fromRoot)
                    {
                        return fromRoot;
                    }

                    continue;
                }

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
                aliasNodes = 0;
                lines = new Dictionary<JsonNode, int>(ReferenceEqualityComparer.Instance);
                var line = parser.Current is { } current ? LineOf(current.Start) : LineOf(start.Start);
                if (skipOverLimitDocuments && parser.Current is MappingStart { Anchor.IsEmpty: true } mapping)
                {
                    // An inventory's root mapping is read key by key, so that a List's items can be handed over one by one.
                    parser.MoveNext();
                    listRoot = new JsonObject();
                    lines[listRoot] = line;
                    rootStart = mapping;
                    rootLine = line;
                    rootMerged = null;
                    inItems = false;
                    streamedItems = false;
                    continue;
                }

                JsonNode? root;
                try
                {
                    root = ReadNode(0);
                }
                catch (LimitExceededException limit) when (skipOverLimitDocuments)
                {
                    return SkipRestOfDocument(limit, line);
                }

                parser.Consume<DocumentEnd>();
                return new SourceDocument(root, line, lines);
            }
        }
        catch (YamlException ex)
        {
            throw new InventoryException(filePath, LineOf(ex.Start), "invalid YAML: " + StripMark(ex.Message), ex);
        }
        catch (IOException ex)
        {
            throw new InventoryException(filePath, 0, "cannot read: " + ex.Message, ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException && ex.TargetSite?.Module.Assembly == typeof(Parser).Assembly)
        {
            // YamlDotNet's own failures on malformed input (found by fuzzing: the 5 bytes ": {\nm" make its scanner throw
            // InvalidOperationException from an empty stack).
            throw new InventoryException(filePath, LineOf(scanner.CurrentPosition), $"invalid YAML: the YAML parser failed near here ({ex.Message})", ex);
        }
    }

    /// <summary>
    /// Reads on in an inventory document's root mapping: the next item of its <c>items</c> list (each built on its own,
    /// so a 200 MB <c>kind: List</c> is never one tree), or the root itself at its end when it had no such list; null
    /// when the root ended after its items. Going past a limit skips the rest of the document with a problem.
    /// </summary>
    private SourceDocument? ContinueRootOrSkip()
    {
        try
        {
            return ContinueRoot(listRoot!);
        }
        catch (LimitExceededException limit)
        {
            return SkipRestOfDocument(limit, rootLine);
        }
    }

    private SourceDocument? ContinueRoot(JsonObject root)
    {
        while (true)
        {
            if (inItems)
            {
                if (parser.TryConsume<SequenceEnd>(out _))
                {
                    inItems = false;
                    continue;
                }

                var itemLine = LineOf(parser.Current!.Start);
                lines = new Dictionary<JsonNode, int>(ReferenceEqualityComparer.Instance);
                aliasNodes = 0;
                var item = ReadNode(2);
                return new SourceDocument(item, itemLine, lines, itemKind, itemKind is null ? null : itemApiVersion);
            }

            if (parser.TryConsume<MappingEnd>(out _))
            {
                if (!streamedItems)
                {
                    CheckObjectSize(rootStart!);
                }

                parser.Consume<DocumentEnd>();
                listRoot = null;
                return streamedItems ? null : new SourceDocument(root, rootLine, lines);
            }

            var key = parser.Consume<Scalar>();
            if (key.Value == "items" && parser.Current is SequenceStart { Anchor.IsEmpty: true } && !root.ContainsKey("items"))
            {
                // A typed list (PodList) names its kind before its items when it comes from the API server; its items then
                // carry no kind of their own. kubectl's List sorts keys (items before kind), but keeps each item's.
                parser.MoveNext();
                inItems = true;
                streamedItems = true;
                var listKind = root["kind"] is JsonValue k && k.TryGetValue<string>(out var kindText) ? kindText : null;
                itemKind = listKind is { Length: > 4 } && listKind.EndsWith("List", StringComparison.Ordinal) ? listKind[..^4] : null;
                itemApiVersion = root["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var versionText) ? versionText : null;
                continue;
            }

            AddEntry(root, key, ReadNode(1), ref rootMerged);
        }
    }

    /// <summary>After a limit: the rest of the document is parsed (iteratively: YamlDotNet keeps its own stack) but not built.</summary>
    private SourceDocument SkipRestOfDocument(LimitExceededException limit, int line)
    {
        var skipped = listRoot is not null && streamedItems ? " (rest of the document skipped)" : " (document skipped)";
        anchors.Clear();
        listRoot = null;
        inItems = false;
        lines = new Dictionary<JsonNode, int>(ReferenceEqualityComparer.Instance);
        while (parser.Current is not DocumentEnd)
        {
            parser.MoveNext();
        }

        parser.Consume<DocumentEnd>();
        return new SourceDocument(null, line, lines, Problem: limit.Message + skipped);
    }

    private JsonNode? ReadNode(int depth)
    {
        if (depth > InventoryLimits.MaxDepth && parser.Current is { } deep)
        {
            throw new LimitExceededException(filePath, LineOf(deep.Start), $"nested deeper than {InventoryLimits.MaxDepth} levels");
        }

        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw new InventoryException(filePath, LineOf(alias.Start), $"unknown alias *{alias.Value.Value}");
            }

            ChargeAlias(target, alias.Start);
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
        var result = ReadMapping(mappingStart, depth);
        if (depth <= 2)
        {
            CheckObjectSize(mappingStart);
        }

        return result;
    }

    private void CheckObjectSize(MappingStart mappingStart)
    {
        if (parser.Current is { } after && after.Start.Index - mappingStart.Start.Index > InventoryLimits.MaxObjectBytes)
        {
            throw new LimitExceededException(filePath, LineOf(mappingStart.Start), $"an object of {after.Start.Index - mappingStart.Start.Index} characters is over the limit of {InventoryLimits.MaxObjectBytes}");
        }
    }

    /// <summary>Counts the nodes an alias adds; past the budget the document is refused before anything is copied.</summary>
    private void ChargeAlias(JsonNode? target, Mark at)
    {
        aliasNodes += CountNodes(target, InventoryLimits.MaxAliasNodes - aliasNodes + 1);
        if (aliasNodes > InventoryLimits.MaxAliasNodes)
        {
            throw new LimitExceededException(filePath, LineOf(at), $"aliases expand to more than {InventoryLimits.MaxAliasNodes} nodes (an alias bomb?)");
        }
    }

    /// <summary>Nodes in a tree, counting at most <paramref name="limit"/> (then stopping).</summary>
    private static long CountNodes(JsonNode? node, long limit)
    {
        long count = 0;
        var pending = new Stack<JsonNode?>();
        pending.Push(node);
        while (pending.TryPop(out var current) && count < limit)
        {
            count++;
            switch (current)
            {
                case JsonObject obj:
                    foreach (var (_, child) in obj)
                    {
                        pending.Push(child);
                    }

                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        pending.Push(child);
                    }

                    break;
            }
        }

        return count;
    }

    private JsonObject ReadMapping(MappingStart mappingStart, int depth)
    {
        var obj = new JsonObject();
        if (depth <= 2)
        {
            lines[obj] = LineOf(mappingStart.Start);
        }

        HashSet<string>? merged = null;
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = parser.Consume<Scalar>();
            AddEntry(obj, key, ReadNode(depth + 1), ref merged);
        }

        Remember(mappingStart.Anchor, obj);
        return obj;
    }

    /// <summary>One key of a mapping: a <c>&lt;&lt;</c> merge, or a key that must not repeat (unless it only overrides a merged one).</summary>
    private void AddEntry(JsonObject obj, Scalar key, JsonNode? value, ref HashSet<string>? merged)
    {
        if (key.Value == "<<" && key.Style == ScalarStyle.Plain)
        {
            merged ??= new HashSet<string>(StringComparer.Ordinal);
            Merge(obj, value, merged, key);
            return;
        }

        if (obj.ContainsKey(key.Value) && (merged is null || !merged.Remove(key.Value)))
        {
            throw new InventoryException(filePath, LineOf(key.Start), $"duplicate key '{key.Value}'");
        }

        obj[key.Value] = value;
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
                        ChargeAlias(value, key.Start);
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
        else if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            // 1e309 overflows to infinity, which JSON cannot hold; like go-yaml (ParseFloat's ErrRange) it stays a string.
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }

    private static int LineOf(Mark mark) => (int)mark.Line;

    /// <summary>A document went past one of <see cref="InventoryLimits"/>.</summary>
    private sealed class LimitExceededException(string filePath, int line, string message) : InventoryException(filePath, line, message);

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
