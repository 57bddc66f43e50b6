using LazyMesh.AccessLogs;

namespace LazyMesh.Tests.Support;

/// <summary>An <see cref="AccessEvent"/> copied to strings, to compare after the call.</summary>
public sealed record RecordedEvent(
    AccessProtocol Protocol,
    string UpstreamCluster,
    string Authority,
    string SourceAddress,
    string OriginalDestinationAddress,
    int OriginalDestinationPort,
    long StartTimeUnixMs,
    string SenderPodAddress = "",
    bool ViaFallback = false)
{
    public static RecordedEvent From(scoped in AccessEvent e) => new(
        e.Protocol,
        e.UpstreamCluster.ToString(),
        e.Authority.ToString(),
        e.SourceAddress.ToString(),
        e.OriginalDestinationAddress.ToString(),
        e.OriginalDestinationPort,
        e.StartTimeUnixMs,
        e.SenderPodAddress.ToString(),
        e.ViaFallback);
}
