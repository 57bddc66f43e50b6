using LazyMesh.AccessLogs;
using LazyMesh.Mesh;

namespace LazyMesh.Als;

/// <summary>
/// Passes on only the entries a stream's peer may report (<see cref="AlsPeer.MayReportFor"/>): the entry's source is
/// the sending sidecar's pod (the node id's IP, else the downstream remote address), exactly as attribution will read
/// it. Others are counted and dropped, so a peer cannot make the controller learn dependencies for another workload.
/// </summary>
internal sealed class AlsPeerSink(IAccessEventSink inner, AlsPeer peer, Func<MeshIndex> mesh, AlsServerStats stats) : IAccessEventSink
{
    public void OnEvent(scoped in AccessEvent accessEvent)
    {
        if (peer.Kind != AlsPeerKind.Fallback)
        {
            var source = !accessEvent.ViaFallback && !accessEvent.SenderPodAddress.IsEmpty ? accessEvent.SenderPodAddress : accessEvent.SourceAddress;
            if (source.IsEmpty || !IpKey.TryParseEndpoint(source, out var ip, out _) || !peer.MayReportFor(mesh(), ip, accessEvent.ViaFallback))
            {
                stats.AddUntrustedEntry();
                return;
            }
        }

        inner.OnEvent(accessEvent);
    }
}
