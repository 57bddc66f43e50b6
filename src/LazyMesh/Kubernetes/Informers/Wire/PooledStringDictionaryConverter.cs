using System.Text.Json;
using System.Text.Json.Serialization;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>Reads a JSON object of strings (labels, annotations) with its keys and values from <see cref="WireStrings"/>.</summary>
public sealed class PooledStringDictionaryConverter : JsonConverter<Dictionary<string, string>>
{
    public override Dictionary<string, string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            // No message of our own: the serializer then writes one naming the type, the JSON path, line and byte.
            throw new JsonException();
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                // No message of our own: the serializer then writes one naming the type, the JSON path, line and byte.
                throw new JsonException();
            }

            var key = reader.ValueIsEscaped || reader.HasValueSequence ? WireStrings.Get(reader.GetString()!) : WireStrings.Get(reader.ValueSpan);
            reader.Read();
            // A null value stays null, as the typed client reads it.
            result[key] = reader.TokenType == JsonTokenType.Null ? null! : PooledStringConverter.ReadPooled(ref reader);
        }

        return result;
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, string> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (var (key, item) in value)
        {
            writer.WriteString(key, item);
        }

        writer.WriteEndObject();
    }
}
