namespace LazyMesh.Kubernetes.State;

public sealed record HostExpiryResult(
    IReadOnlyList<LearnedHostRecord> Hosts,
    IReadOnlyList<string> Marked,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> Cleared)
{
    public bool Changed => Marked.Count > 0 || Removed.Count > 0 || Cleared.Count > 0;
}
