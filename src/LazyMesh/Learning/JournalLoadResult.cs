namespace LazyMesh.Learning;

/// <summary>How many edges a restart restored, and which journal lines could not be read.</summary>
public sealed record JournalLoadResult(int EdgesRestored, IReadOnlyList<string> Problems);
