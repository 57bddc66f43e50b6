using System.Net;
using LazyMesh.Mesh;
using LazyMesh.Routing;

namespace LazyMesh.Als;

public sealed class AlsServerOptions
{
    /// <summary>Largest accepted message; a stream sending a larger one ends with ResourceExhausted.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Streams open at once; further streams end with ResourceExhausted.</summary>
    public int MaxConcurrentStreams { get; set; } = 1024;

    /// <summary>
    /// Streams open at once on one HTTP/2 connection (Kestrel's <c>MaxStreamsPerConnection</c> is one more, so the
    /// refusal is an explicit ResourceExhausted). Envoy opens one stream per worker thread and log name.
    /// </summary>
    public int MaxStreamsPerConnection { get; set; } = 16;

    /// <summary>Streams open at once from one peer address, over all its connections.</summary>
    public int MaxStreamsPerPeer { get; set; } = 64;

    /// <summary>Whose entries a stream may report; anything else needs <see cref="Mesh"/>.</summary>
    public AlsPeerVerification PeerVerification { get; set; } = AlsPeerVerification.None;

    /// <summary>The fallback's Service: its pods (or its identity) may report for every caller.</summary>
    public FallbackRoutingOptions Fallback { get; set; } = FallbackRoutingOptions.Default;

    /// <summary>The current mesh index, for <see cref="PeerVerification"/>; the controllers set it to their inventory's.</summary>
    public Func<MeshIndex>? Mesh { get; set; }

    /// <summary>A stream that sends no message for this long is ended with DeadlineExceeded.</summary>
    public TimeSpan IdleStreamTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The clock of <see cref="IdleStreamTimeout"/> (the controller's own).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>When set, only peers in these networks may stream; others get PermissionDenied.</summary>
    public IReadOnlyList<IPNetwork>? AllowedSenders { get; set; }

    public AlsHandlerMode Mode { get; set; } = AlsHandlerMode.Decode;
}
