using System.Text.Json.Serialization;

namespace LazyMesh.Learning;

/// <summary>One edge as stored on disk: workload key, host, first and last seen (Unix ms).</summary>
public sealed record PersistedEdge(
    [property: JsonPropertyName("w")] string Workload,
    [property: JsonPropertyName("h")] string Host,
    [property: JsonPropertyName("f")] long FirstSeenUnixMs,
    [property: JsonPropertyName("l")] long LastSeenUnixMs);
