namespace LazyMesh.Als;

/// <summary>The fields of one HTTP or TCP access-log entry LazyMesh needs, as raw UTF-8 spans into the message.</summary>
internal ref struct AlsEntryFields
{
    public ReadOnlySpan<byte> UpstreamCluster;
    public ReadOnlySpan<byte> Authority;
    public AlsAddressFields DownstreamRemote;
    public AlsAddressFields DownstreamLocal;
    public AlsAddressFields DownstreamDirectRemote;
    public long StartSeconds;
    public int StartNanos;
}
