namespace LazyMesh.AccessLogs;

/// <summary>One of Istio's default TEXT access-log formats: the releases it covers, the tag and file it was read from.</summary>
public sealed record IstioTextFormat(string Family, string Tag, string Source, string Format);
