namespace LazyMesh.Kubernetes.Informers;

/// <summary>
/// One change to an informer's cache, from a watch event or from the difference a relist found.
/// <paramref name="Object"/> is the new state (the last known state for <see cref="InformerChangeType.Deleted"/>).
/// </summary>
public readonly record struct InformerChange<T>(InformerChangeType Type, string Key, T Object);
