namespace LazyMesh.Als;

/// <summary>What one decoded <c>StreamAccessLogsMessage</c> held.</summary>
public readonly record struct AlsDecodeResult(int HttpEntries, int TcpEntries, bool HadIdentifier);
