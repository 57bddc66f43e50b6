namespace LazyMesh.Cli;

/// <summary>One lazy workload as <c>lazymesh status</c> prints it.</summary>
public sealed record StatusRow(
    string Namespace,
    string Workload,
    string? Sidecar,
    int Hosts,
    string? LastLearnedHost,
    string? LastLearnedTime,
    string? Ready,
    string? Conflict,
    string? ConflictMessage,
    bool Paused,
    string Phase);
