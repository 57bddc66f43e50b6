using LazyMesh.AccessLogs;

namespace LazyMesh.Tests.AccessLogs;

/// <summary>A heap copy of an <see cref="AccessEvent"/> for assertions.</summary>
public sealed record RecordedEvent(
    AccessProtocol Protocol,
    string UpstreamCluster,
    string Authority,
    string SourceAddress,
    string OriginalDestinationAddress,
    int OriginalDestinationPort,
    long StartTimeUnixMs)
{
    public static RecordedEvent From(scoped in AccessEvent e) => new(
        e.Protocol,
        e.UpstreamCluster.ToString(),
        e.Authority.ToString(),
        e.SourceAddress.ToString(),
        e.OriginalDestinationAddress.ToString(),
        e.OriginalDestinationPort,
        e.StartTimeUnixMs);
}
