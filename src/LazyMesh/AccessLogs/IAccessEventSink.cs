namespace LazyMesh.AccessLogs;

/// <summary>Receives decoded access events from a source (log file reader, ALS stream, fallback proxy).</summary>
public interface IAccessEventSink
{
    /// <summary>Called once per entry; the event's spans are valid only for the duration of the call.</summary>
    void OnEvent(scoped in AccessEvent accessEvent);
}
