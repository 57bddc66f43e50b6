using System.Threading.Channels;
using LazyMesh.AccessLogs;
using LazyMesh.Als;

namespace LazyMesh.Cli;

/// <summary>Turns parsed access-log events into <see cref="ReplayEntry"/>s on a bounded channel (blocking when it is full).</summary>
internal sealed class ReplayEntryChannelSink(ChannelWriter<ReplayEntry> writer, CancellationToken cancellationToken) : IAccessEventSink
{
    public void OnEvent(scoped in AccessEvent accessEvent)
    {
        var entry = ReplayEntry.From(accessEvent);
        while (!writer.TryWrite(entry))
        {
            if (!writer.WaitToWriteAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
            {
                return;
            }
        }
    }
}
