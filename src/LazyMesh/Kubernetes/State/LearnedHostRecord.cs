namespace LazyMesh.Kubernetes.State;

/// <summary>A learned host as the merge and expiry functions see it: Unix milliseconds, expiry mark optional.</summary>
public sealed record LearnedHostRecord(string Host, long FirstSeenMs, long LastSeenMs, long? ExpiringSinceMs = null);
