namespace LazyMesh.Kubernetes.Informers;

/// <summary>
/// One new index from <see cref="KubernetesInventory"/>: made by parts (pod changes applied to the previous index) or
/// rebuilt whole; the pod changes it took in; what it cost (on the inventory's loop); and how long the oldest of those
/// changes waited between its informer event and the new index in the holder.
/// </summary>
public readonly record struct InventoryUpdate(bool ByParts, int PodChanges, TimeSpan Cost, TimeSpan Latency);
