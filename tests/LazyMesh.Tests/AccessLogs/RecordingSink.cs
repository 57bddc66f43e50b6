using LazyMesh.AccessLogs;

namespace LazyMesh.Tests.AccessLogs;

public sealed class RecordingSink : IAccessEventSink
{
    public List<RecordedEvent> Events { get; } = [];

    public void OnEvent(scoped in AccessEvent accessEvent) => Events.Add(RecordedEvent.From(in accessEvent));
}
