using System.Text.Json;
using System.Text.Json.Serialization;

namespace LazyMesh.Ui;

/// <summary>The JSON form of <see cref="GraphDocument"/> (camelCase, nulls omitted).</summary>
[JsonSerializable(typeof(GraphDocument))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class GraphJson : JsonSerializerContext
{
    public static string Serialize(GraphDocument document) => JsonSerializer.Serialize(document, Default.GraphDocument);

    public static GraphDocument? Deserialize(string json) => JsonSerializer.Deserialize(json, Default.GraphDocument);
}
