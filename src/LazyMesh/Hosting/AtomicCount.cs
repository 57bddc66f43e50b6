namespace LazyMesh.Hosting;

/// <summary>
/// A count of events bumped on a request path with one <see cref="Interlocked"/> add, read by code and exported
/// through an <c>ObservableCounter</c> when scraped (a <c>Counter&lt;long&gt;</c> would call the exporter on every event).
/// </summary>
public sealed class AtomicCount
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Inc() => Interlocked.Increment(ref _value);

    public void Inc(long by) => Interlocked.Add(ref _value, by);
}
