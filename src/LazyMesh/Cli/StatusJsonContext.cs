using System.Text.Json.Serialization;

namespace LazyMesh.Cli;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(List<StatusRow>))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
