namespace LazyMesh.Als;

/// <summary>What the decoder keeps of one <c>config.core.v3.Address</c>: the socket address's IP and port, as raw UTF-8.</summary>
internal ref struct AlsAddressFields
{
    /// <summary>True while the address's oneof holds <c>socket_address</c>.</summary>
    public bool IsSocket;

    public ReadOnlySpan<byte> Address;

    /// <summary><c>port_value</c>; 0 when absent, a <c>named_port</c>, or out of range.</summary>
    public int Port;
}
