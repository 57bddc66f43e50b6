using LazyMesh.AccessLogs;

namespace LazyMesh.Tests.Als;

public sealed class CountingSink : IAccessEventSink
{
    public int Count;

    public void OnEvent(scoped in AccessEvent accessEvent) => Count++;
}
