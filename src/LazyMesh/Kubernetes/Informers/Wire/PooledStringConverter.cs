using System.Text.Json;
using System.Text.Json.Serialization;

namespace LazyMesh.Kubernetes.Informers.Wire;

/// <summary>Reads a JSON string as its <see cref="WireStrings"/> copy (for values that repeat across objects).</summary>
public sealed class PooledStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadPooled(ref reader);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }

    /// <summary>The string at <paramref name="reader"/>, pooled; a token that is not a string is a <see cref="JsonException"/>.</summary>
    internal static string ReadPooled(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            // No message of our own: the serializer then writes one naming the type, the JSON path, line and byte.
            throw new JsonException();
        }

        return reader.ValueIsEscaped || reader.HasValueSequence
            ? WireStrings.Get(reader.GetString()!)
            : WireStrings.Get(reader.ValueSpan);
    }
}
