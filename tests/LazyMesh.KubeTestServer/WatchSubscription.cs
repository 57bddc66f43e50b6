using System.Threading.Channels;

namespace LazyMesh.KubeTesting;

/// <summary>
/// One open watch: filters committed events and queues the newline-delimited JSON lines to send.
/// <see cref="Offer"/> and <see cref="Write"/> are called under the store's lock, which keeps lines in
/// resourceVersion order.
/// </summary>
internal sealed class WatchSubscription(KubeResourceType type, string version, string? ns, LabelSelector labels, FieldSelector fields, bool bookmarks)
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();

    public KubeResourceType Type { get; } = type;

    public bool Bookmarks { get; } = bookmarks;

    public ChannelReader<string> Lines => _lines.Reader;

    public CancellationToken Stopped => _stop.Token;

    public bool AbortRequested { get; private set; }

    public bool Matches(StoredObject obj) =>
        obj.Key.Group == Type.Group && obj.Key.Plural == Type.Plural
        && (ns is null || obj.Key.Namespace == ns)
        && labels.Matches(obj.Labels)
        && (fields.IsEmpty || fields.Matches(obj.Node));

    public void Offer(HistoryEvent ev)
    {
        if (ev.New.Key.Group != Type.Group || ev.New.Key.Plural != Type.Plural)
        {
            return;
        }

        var oldMatch = ev.Old is not null && Matches(ev.Old);
        var newMatch = Matches(ev.New);
        var type = ev.Type switch
        {
            "ADDED" => newMatch ? "ADDED" : null,
            "DELETED" => oldMatch || newMatch ? "DELETED" : null,
            _ => (oldMatch, newMatch) switch
            {
                (true, true) => "MODIFIED",
                (false, true) => "ADDED",
                (true, false) => "DELETED",
                _ => null,
            },
        };
        if (type is not null)
        {
            Write(Line(type, ev.New.JsonFor(version)));
        }
    }

    public void Added(StoredObject obj) => Write(Line("ADDED", obj.JsonFor(version)));

    public void Bookmark(long resourceVersion) =>
        Write(Line("BOOKMARK", $"{{\"kind\":\"{Type.Kind}\",\"apiVersion\":\"{Type.ApiVersion(version)}\",\"metadata\":{{\"resourceVersion\":\"{resourceVersion}\"}}}}"));

    public void Write(string line) => _lines.Writer.TryWrite(line);

    public void Stop(bool abort)
    {
        AbortRequested |= abort;
        _lines.Writer.TryComplete();
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }

    public static string Line(string type, string objectJson) => $"{{\"type\":\"{type}\",\"object\":{objectJson}}}\n";
}
