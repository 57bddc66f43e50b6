using System.Text.Json;
using System.Text.Json.Nodes;

namespace LazyMesh.Inventory;

/// <summary>
/// Reads one or more concatenated JSON values as <see cref="JsonNode"/> trees, keeping the line where the
/// root and each item of a top-level List start. Comments and trailing commas are tolerated.
/// </summary>
internal static class JsonDocumentReader
{
    public static List<SourceDocument> Read(ReadOnlySpan<byte> utf8, string filePath)
    {
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            utf8 = utf8[3..];
        }

        var lineStarts = new List<int> { 0 };
        for (var i = utf8.IndexOf((byte)'\n'); i >= 0;)
        {
            lineStarts.Add(i + 1);
            var next = utf8[(i + 1)..].IndexOf((byte)'\n');
            i = next < 0 ? -1 : i + 1 + next;
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            AllowMultipleValues = true,
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
        });
        var documents = new List<SourceDocument>();
        try
        {
            while (reader.Read())
            {
                var lines = new Dictionary<JsonNode, int>(ReferenceEqualityComparer.Instance);
                var line = LineOf(lineStarts, reader.TokenStartIndex);
                var root = ReadValue(ref reader, 0, lines, lineStarts, filePath);
                documents.Add(new SourceDocument(root, line, lines));
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

        return documents;
    }

    private static JsonNode? ReadValue(ref Utf8JsonReader reader, int depth, Dictionary<JsonNode, int> lines, List<int> lineStarts, string filePath)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new JsonObject();
                if (depth <= 2)
                {
                    lines[obj] = LineOf(lineStarts, reader.TokenStartIndex);
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = reader.GetString()!;
                    var keyLine = LineOf(lineStarts, reader.TokenStartIndex);
                    reader.Read();
                    var value = ReadValue(ref reader, depth + 1, lines, lineStarts, filePath);
                    if (!obj.TryAdd(name, value))
                    {
                        throw new InventoryException(filePath, keyLine, $"duplicate key '{name}'");
                    }
                }

                return obj;
            case JsonTokenType.StartArray:
                var array = new JsonArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Add(ReadValue(ref reader, depth + 1, lines, lineStarts, filePath));
                }

                return array;
            case JsonTokenType.String:
                return JsonValue.Create(reader.GetString());
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var integer) ? JsonValue.Create(integer) : JsonValue.Create(reader.GetDouble());
            case JsonTokenType.True:
                return JsonValue.Create(true);
            case JsonTokenType.False:
                return JsonValue.Create(false);
            default:
                return null;
        }
    }

    private static int LineOf(List<int> lineStarts, long offset)
    {
        var index = lineStarts.BinarySearch((int)offset);
        return (index >= 0 ? index : ~index - 1) + 1;
    }
}
