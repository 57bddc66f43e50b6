using System.Text.Json.Serialization;

namespace LazyMesh.Learning;

[JsonSerializable(typeof(PersistedEdge))]
[JsonSerializable(typeof(List<PersistedEdge>))]
[JsonSourceGenerationOptions(WriteIndented = false)]
internal sealed partial class PersistedEdgeJson : JsonSerializerContext;
