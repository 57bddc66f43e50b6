namespace LazyMesh.AccessLogs;

public enum AccessProtocol : byte
{
    Http,
    Tcp,
}
