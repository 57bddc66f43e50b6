namespace LazyMesh.KubeTesting;

/// <summary>How the server behaves during an outage.</summary>
public enum OutageMode
{
    /// <summary>The listener is closed: new connections are refused and open ones are reset. The same port is reopened afterwards.</summary>
    ConnectionRefused,

    /// <summary>The listener stays up and every request gets 503 ServiceUnavailable; open watches are reset.</summary>
    ServiceUnavailable,
}
