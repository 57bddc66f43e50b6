using LazyMesh.Als;

namespace LazyMesh.Fallback;

public sealed class FallbackReporterOptions
{
    /// <summary>How often pending reports are sent (Envoy's <c>buffer_flush_interval</c> is about a second).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Distinct (caller, destination) pairs held for the next batch; more are dropped and counted.</summary>
    public int MaxPending { get; set; } = 10_000;

    /// <summary>Entries per ALS message.</summary>
    public int MessageSize { get; set; } = 500;

    /// <summary>First reconnect delay after a failed stream; doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Opening a stream fails when no connection to the controller is ready within this long.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The stream's node id; the controller treats <c>lazymesh-fallback</c> and <c>lazymesh-fallback~...</c> as the fallback.</summary>
    public string NodeId { get; set; } = AlsStreamDecoder.FallbackMarker + "~" + Environment.MachineName;

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
