namespace LazyMesh.Tests.Fallback;

/// <summary>What the test upstream saw of one request.</summary>
internal sealed record RecordedRequest(string Protocol, string Method, string Host, string Path, IReadOnlyDictionary<string, string> Headers, long BodyLength);
