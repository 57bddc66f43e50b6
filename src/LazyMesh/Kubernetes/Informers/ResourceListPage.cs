namespace LazyMesh.Kubernetes.Informers;

/// <summary>One page of a LIST: its items, the list's resourceVersion and the token for the next page (null on the last).</summary>
public sealed record ResourceListPage<T>(IList<T> Items, string? ResourceVersion, string? Continue);
