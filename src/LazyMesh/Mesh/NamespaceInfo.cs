namespace LazyMesh.Mesh;

/// <summary>A namespace's labels and annotations (e.g. <c>istio-injection</c>, LazyMesh policy annotations).</summary>
public sealed record NamespaceInfo(string Name, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations);
