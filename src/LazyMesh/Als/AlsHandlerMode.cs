namespace LazyMesh.Als;

public enum AlsHandlerMode
{
    /// <summary>Decode every entry and hand it to the sink.</summary>
    Decode,

    /// <summary>Decode nothing; count messages only (a baseline for benchmarks).</summary>
    Discard,
}
