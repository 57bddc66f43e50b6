using System.Net;

namespace LazyMesh.Als;

public sealed class AlsServerOptions
{
    /// <summary>Largest accepted message; a stream sending a larger one ends with ResourceExhausted.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Streams open at once; further streams end with ResourceExhausted.</summary>
    public int MaxConcurrentStreams { get; set; } = 1024;

    /// <summary>A stream that sends no message for this long is ended with DeadlineExceeded.</summary>
    public TimeSpan IdleStreamTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>When set, only peers in these networks may stream; others get PermissionDenied.</summary>
    public IReadOnlyList<IPNetwork>? AllowedSenders { get; set; }

    public AlsHandlerMode Mode { get; set; } = AlsHandlerMode.Decode;
}
