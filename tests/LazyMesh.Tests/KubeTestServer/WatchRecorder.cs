using System.Threading.Channels;
using k8s;
using k8s.Autorest;

namespace LazyMesh.Tests.KubeTesting;

/// <summary>Collects the events, errors and close of a KubernetesClient <see cref="Watcher{T}"/> for assertions.</summary>
internal sealed class WatchRecorder<T> : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly Channel<(WatchEventType Type, T Object)> _events = Channel.CreateUnbounded<(WatchEventType, T)>();
    private readonly Channel<Exception> _errors = Channel.CreateUnbounded<Exception>();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Watcher<T>? _watcher;

    public Task Closed => _closed.Task;

    public static WatchRecorder<T> Start<TList>(Task<HttpOperationResponse<TList>> response)
    {
        var recorder = new WatchRecorder<T>();
#pragma warning disable CS0618 // Watch is the client's supported watch entry point in 21.x.
        recorder._watcher = response.Watch<T, TList>(
            (type, obj) => recorder._events.Writer.TryWrite((type, obj)),
            e => recorder._errors.Writer.TryWrite(e),
            () => recorder._closed.TrySetResult());
#pragma warning restore CS0618
        return recorder;
    }

    public async Task<(WatchEventType Type, T Object)> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        return await _events.Reader.ReadAsync(cts.Token);
    }

    public async Task<(WatchEventType Type, T Object)> NextChangeAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            var ev = await _events.Reader.ReadAsync(cts.Token);
            if (ev.Item1 != WatchEventType.Bookmark)
            {
                return ev;
            }
        }
    }

    public async Task<Exception> NextErrorAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        return await _errors.Reader.ReadAsync(cts.Token);
    }

    public bool TryPeekEvent(out (WatchEventType Type, T Object) ev) => _events.Reader.TryRead(out ev);

    public async Task WaitClosedAsync(TimeSpan? timeout = null) => await Closed.WaitAsync(timeout ?? DefaultTimeout);

    public void Dispose() => _watcher?.Dispose();
}
