using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LazyMesh.Tests.Fallback;

/// <summary>
/// An HTTP/1.1 server on 127.0.0.1: records each request and echoes its body. <c>/stream</c> writes "first", waits for
/// <see cref="ReleaseSecondChunk"/>, then writes "second". <c>/ws</c> echoes WebSocket messages.
/// </summary>
internal sealed class TestUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _secondChunk = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TestUpstream(WebApplication app) => _app = app;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public int Port { get; private set; }

    public static async Task<TestUpstream> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        var upstream = new TestUpstream(app);
        app.UseWebSockets();
        app.Run(upstream.HandleAsync);
        await app.StartAsync();
        upstream.Port = new Uri(app.Urls.First()).Port;
        return upstream;
    }

    public void ReleaseSecondChunk() => _secondChunk.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        _secondChunk.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        if (context.WebSockets.IsWebSocketRequest)
        {
            Requests.Enqueue(new RecordedRequest(request.Protocol, request.Method, request.Host.Value ?? string.Empty, request.Path.Value ?? string.Empty, headers, 0));
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
            }
        }

        if (request.Path == "/stream")
        {
            Requests.Enqueue(new RecordedRequest(request.Protocol, request.Method, request.Host.Value ?? string.Empty, request.Path.Value!, headers, 0));
            await context.Response.WriteAsync("first");
            await context.Response.Body.FlushAsync();
            await _secondChunk.Task;
            await context.Response.WriteAsync("second");
            return;
        }

        context.Response.Headers["x-upstream"] = "test";
        var length = 0L;
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk)) > 0)
        {
            length += read;
            await context.Response.Body.WriteAsync(chunk.AsMemory(0, read));
        }

        Requests.Enqueue(new RecordedRequest(request.Protocol, request.Method, request.Host.Value ?? string.Empty, request.Path.Value ?? string.Empty, headers, length));
    }
}
