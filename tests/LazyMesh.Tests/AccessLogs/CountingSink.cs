using LazyMesh.AccessLogs;

namespace LazyMesh.Tests.AccessLogs;

/// <summary>Counts events without allocating, for allocation tests.</summary>
public sealed class CountingSink : IAccessEventSink
{
    public long Count { get; private set; }

    public long PortSum { get; private set; }

    public void OnEvent(scoped in AccessEvent accessEvent)
    {
        Count++;
        PortSum += accessEvent.OriginalDestinationPort;
    }
}
