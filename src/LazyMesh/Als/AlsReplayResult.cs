namespace LazyMesh.Als;

/// <summary>What a replay sent.</summary>
public readonly record struct AlsReplayResult(long Messages, long HttpEntries, long TcpEntries);
