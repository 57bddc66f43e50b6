using System.Text.Json;
using System.Text.Json.Nodes;

namespace LazyMesh.Inventory;

/// <summary>
/// Reads one or more concatenated JSON values as <see cref="JsonNode"/> trees, keeping the line where each starts.
/// Comments and trailing commas are tolerated. A top-level object's <c>items</c> list (a <c>kind: List</c> or a
/// typed list such as <c>PodList</c>) is streamed: each item is handed over as its own document as soon as it is
/// read, so that a large inventory never exists as one tree (issue 11: a 200 MB list of skipped kinds peaked at
/// 1.5 GB). Before an object (a top-level value or a list item) is built, its <c>kind</c>, <c>apiVersion</c> and
/// <c>metadata.name</c> are peeked at with a copy of the reader; when the caller says the object is skipped, it is
/// stepped over and never built. Limits: nesting depth <see cref="InventoryLimits.MaxDepth"/>, one object at most
/// <see cref="InventoryLimits.MaxObjectBytes"/>.
/// </summary>
internal static class JsonDocumentReader
{
    public static List<SourceDocument> Read(ReadOnlySpan<byte> utf8, string filePath)
    {
        var documents = new List<SourceDocument>();
        Read(utf8, filePath, documents.Add);
        return documents;
    }

    /// <summary>
    /// Reads <paramref name="utf8"/>, calling <paramref name="onDocument"/> for each value (each list item). An object
    /// for which <paramref name="skipUnbuilt"/> (given its kind, apiVersion and metadata.name, each null when absent or
    /// not a string) returns true is not built.
    /// </summary>
    /// <exception cref="InventoryException">Not JSON, too deep, or an object over the size limit.</exception>
    /// <param name="passed">Told, at each value and list item, the offset in <paramref name="utf8"/> before which the reader will not look again.</param>
    public static void Read(ReadOnlySpan<byte> utf8, string filePath, Action<SourceDocument> onDocument, Func<string?, string?, string?, bool>? skipUnbuilt = null, Action<long>? passed = null)
    {
        var bom = 0;
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            utf8 = utf8[3..];
            bom = 3;
        }

        var reportPassed = passed is null ? null : new Action<long>(offset => passed(bom + offset));

        var lines = new LineCounter();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            AllowMultipleValues = true,
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
            MaxDepth = InventoryLimits.MaxDepth,
        });
        try
        {
            while (reader.Read())
            {
                var line = lines.LineAt(utf8, reader.TokenStartIndex);
                reportPassed?.Invoke(reader.TokenStartIndex);
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    if (!SkippedUnbuilt(ref reader, skipUnbuilt, null, null))
                    {
                        ReadRootObject(ref reader, utf8, ref lines, line, filePath, onDocument, skipUnbuilt, reportPassed);
                    }
                }
                else
                {
                    var map = new Dictionary<JsonNode, int>(ReferenceEqualityComparer.Instance);
                    var root = ReadValue(ref reader, 0, map, utf8, ref lines, filePath);
                    onDocument(new SourceDocument(root, line, map));
                }
            }
        }
        catch (JsonException ex)
        {
            var message = ex.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }

            throw new InventoryException(filePath, (int)(ex.LineNumber ?? 0) + 1, "invalid JSON: " + message, ex);
        }
    }

    /// <summary>
    /// A top-level object. Its <c>items</c> array is streamed item by item; the rest of the object is kept (it is small)
    /// and handed over as a document only when there was no <c>items</c> array.
    /// </summary>
    private static void ReadRootObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, ref LineCounter lines, int line, string filePath, Action<SourceDocument> onDocument, Func<string?, string?, string?, bool>? skipUnbuilt, Action<long>? passed)
    {
        var map = new Dictionary<JsonNode, int>(ReferenceEqualityComparer.Instance);
        var root = new JsonObject();
        map[root] = line;
        var streamedItems = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            var keyLine = lines.LineAt(utf8, reader.TokenStartIndex);
            reader.Read();
            if (name == "items" && reader.TokenType == JsonTokenType.StartArray && !root.ContainsKey("items"))
            {
                // A typed list (PodList) names its kind before its items when it comes from the API server; its items
                // then carry no kind of their own. kubectl's List sorts keys (items before kind), but keeps each item's.
                var listKind = root["kind"] is JsonValue k && k.TryGetValue<string>(out var kindText) ? kindText : null;
                var apiVersion = root["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var versionText) ? versionText : null;
                var itemKind = listKind is { Length: > 4 } && listKind.EndsWith("List", StringComparison.Ordinal) ? listKind[..^4] : null;
                var itemApiVersion = itemKind is null ? null : apiVersion;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    // Lines are counted up to each item, skipped or not, before the bytes behind it are let go.
                    var itemLine = lines.LineAt(utf8, reader.TokenStartIndex);
                    passed?.Invoke(reader.TokenStartIndex);
                    if (reader.TokenType == JsonTokenType.StartObject && SkippedUnbuilt(ref reader, skipUnbuilt, itemKind, itemApiVersion))
                    {
                        continue;
                    }

                    var start = reader.TokenStartIndex;
                    var itemLines = new Dictionary<JsonNode, int>(ReferenceEqualityComparer.Instance);
                    var item = ReadValue(ref reader, 1, itemLines, utf8, ref lines, filePath);
                    if (reader.BytesConsumed - start > InventoryLimits.MaxObjectBytes)
                    {
                        throw new InventoryException(filePath, itemLine, $"an object of {reader.BytesConsumed - start} bytes is over the limit of {InventoryLimits.MaxObjectBytes}");
                    }

                    if (item is not null)
                    {
                        itemLines[item] = itemLine;
                    }

                    onDocument(new SourceDocument(item, itemLine, itemLines, itemKind, itemApiVersion));
                }

                streamedItems = true;
                continue;
            }

            var value = ReadValue(ref reader, 1, map, utf8, ref lines, filePath);
            if (!root.TryAdd(name, value))
            {
                throw new InventoryException(filePath, keyLine, $"duplicate key '{name}'");
            }
        }

        if (!streamedItems)
        {
            onDocument(new SourceDocument(root, line, map));
        }
    }

    /// <summary>
    /// At an object's start: peeks at its kind, apiVersion and metadata.name on a copy of the reader and, when
    /// <paramref name="skipUnbuilt"/> says so, moves the reader to the object's end without building anything.
    /// </summary>
    private static bool SkippedUnbuilt(ref Utf8JsonReader reader, Func<string?, string?, string?, bool>? skipUnbuilt, string? defaultKind, string? defaultApiVersion)
    {
        if (skipUnbuilt is null)
        {
            return false;
        }

        var peek = reader;
        string? kind = null, apiVersion = null, name = null;
        var notString = false;
        while (peek.Read() && peek.TokenType == JsonTokenType.PropertyName)
        {
            if (peek.ValueTextEquals("kind"u8))
            {
                kind = ReadStringOrSkip(ref peek, ref notString);
            }
            else if (peek.ValueTextEquals("apiVersion"u8))
            {
                apiVersion = ReadStringOrSkip(ref peek, ref notString);
            }
            else if (peek.ValueTextEquals("items"u8))
            {
                // A list is never skipped whole: its items are read one by one (and the 200 MB behind this key not scanned twice).
                return false;
            }
            else if (peek.ValueTextEquals("metadata"u8))
            {
                peek.Read();
                if (peek.TokenType != JsonTokenType.StartObject)
                {
                    peek.Skip();
                    continue;
                }

                while (peek.Read() && peek.TokenType == JsonTokenType.PropertyName)
                {
                    if (peek.ValueTextEquals("name"u8))
                    {
                        name = ReadStringOrSkip(ref peek, ref notString);
                    }
                    else
                    {
                        peek.Read();
                        peek.Skip();
                    }
                }
            }
            else
            {
                peek.Read();
                peek.Skip();
            }
        }

        // A kind, apiVersion or name that is not a string is a warning the builder gives: such an object is built.
        if (notString || !skipUnbuilt(kind ?? defaultKind, apiVersion ?? defaultApiVersion, name))
        {
            return false;
        }

        reader = peek;
        return true;
    }

    private static string? ReadStringOrSkip(ref Utf8JsonReader reader, ref bool notString)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        notString |= reader.TokenType != JsonTokenType.Null;
        reader.Skip();
        return null;
    }

    private static JsonNode? ReadValue(ref Utf8JsonReader reader, int depth, Dictionary<JsonNode, int> map, ReadOnlySpan<byte> utf8, ref LineCounter lines, string filePath)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new JsonObject();
                if (depth <= 2)
                {
                    map[obj] = lines.LineAt(utf8, reader.TokenStartIndex);
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = reader.GetString()!;
                    var keyStart = reader.TokenStartIndex;
                    reader.Read();
                    var value = ReadValue(ref reader, depth + 1, map, utf8, ref lines, filePath);
                    if (!obj.TryAdd(name, value))
                    {
                        throw new InventoryException(filePath, lines.LineAt(utf8, keyStart), $"duplicate key '{name}'");
                    }
                }

                return obj;
            case JsonTokenType.StartArray:
                var array = new JsonArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Add(ReadValue(ref reader, depth + 1, map, utf8, ref lines, filePath));
                }

                return array;
            case JsonTokenType.String:
                return JsonValue.Create(reader.GetString());
            case JsonTokenType.Number:
                // A number no double holds (1e309) is kept as its text rather than as an infinity JSON cannot write back.
                return reader.TryGetInt64(out var integer) ? JsonValue.Create(integer)
                    : reader.TryGetDouble(out var real) && double.IsFinite(real) ? JsonValue.Create(real)
                    : JsonValue.Create(System.Text.Encoding.UTF8.GetString(reader.ValueSpan));
            case JsonTokenType.True:
                return JsonValue.Create(true);
            case JsonTokenType.False:
                return JsonValue.Create(false);
            default:
                return null;
        }
    }

    /// <summary>
    /// 1-based line of an offset, counting newlines incrementally: offsets mostly move forward, so each byte is
    /// counted about once (a table of every line start was 4 bytes a line for the whole file).
    /// </summary>
    private struct LineCounter
    {
        private long _offset;
        private int _line;

        public int LineAt(ReadOnlySpan<byte> utf8, long offset)
        {
            if (_line == 0 || offset < _offset)
            {
                _offset = 0;
                _line = 1;
            }

            _line += utf8[(int)_offset..(int)offset].Count((byte)'\n');
            _offset = offset;
            return _line;
        }
    }
}
