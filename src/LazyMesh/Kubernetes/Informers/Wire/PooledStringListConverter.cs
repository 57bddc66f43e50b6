using System.Text.Json;
using System.Text.Json.Serialization;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>
/// Reads a JSON array of strings (a container's <c>args</c>) with its items from <see cref="WireStrings"/>: every pod of
/// a workload repeats them, and read plainly they were ~350,000 new strings per 50,000 pods listed.
/// </summary>
public sealed class PooledStringListConverter : JsonConverter<List<string>>
{
    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            // No message of our own: the serializer then writes one naming the type, the JSON path, line and byte.
            throw new JsonException();
        }

        var result = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            // A null item stays null, as the typed client reads it.
            result.Add(reader.TokenType == JsonTokenType.Null ? null! : PooledStringConverter.ReadPooled(ref reader));
        }

        return result;
    }

    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        foreach (var item in value)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}
