using LazyMesh.AccessLogs;

namespace LazyMesh.Bench;

/// <summary>Consumes events without allocating, so that benchmarks measure the source.</summary>
internal sealed class NullAccessEventSink : IAccessEventSink
{
    public long Ports { get; private set; }

    public void OnEvent(scoped in AccessEvent accessEvent) => Ports += accessEvent.OriginalDestinationPort;
}
