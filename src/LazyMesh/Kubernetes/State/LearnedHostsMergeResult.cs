namespace LazyMesh.Kubernetes.State;

/// <param name="Hosts">The merged hosts, sorted by host.</param>
/// <param name="Changed">Whether <paramref name="Hosts"/> differs from the remote hosts in a way worth a write.</param>
/// <param name="Added">Hosts this replica adds to status.</param>
/// <param name="Forgotten">Local hosts the leader expired: drop them from the local store.</param>
public sealed record LearnedHostsMergeResult(
    IReadOnlyList<LearnedHostRecord> Hosts,
    bool Changed,
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Forgotten);
