namespace LazyMesh.Learning;

/// <summary>How many edges a restart restored, which journal lines could not be read, and how many bytes of torn tail were cut.</summary>
public sealed record JournalLoadResult(int EdgesRestored, IReadOnlyList<string> Problems, long TornBytesCut = 0);
