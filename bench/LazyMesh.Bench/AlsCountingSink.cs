using LazyMesh.AccessLogs;

namespace LazyMesh.Bench;

/// <summary>Counts events and touches their spans, so the decode work cannot be skipped.</summary>
internal sealed class AlsCountingSink : IAccessEventSink
{
    public long Count;
    public long Chars;

    public void OnEvent(scoped in AccessEvent accessEvent)
    {
        Count++;
        Chars += accessEvent.UpstreamCluster.Length + accessEvent.SourceAddress.Length + accessEvent.Authority.Length;
    }
}
