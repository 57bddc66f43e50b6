namespace LazyMesh.Mesh;

/// <summary>An IP address and port: the key of the index's address lookup.</summary>
internal readonly record struct AddressPort(IpKey Address, int Port);
