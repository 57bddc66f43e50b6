using Grpc.Net.Client;

namespace LazyMesh.Bench;

/// <summary>A few gRPC channels (HTTP/2 connections) to one loopback port; indexed round-robin.</summary>
internal sealed class ChannelSet : IDisposable
{
    private readonly GrpcChannel[] _channels;

    public ChannelSet(int port, int count) =>
        _channels = [.. Enumerable.Range(0, count).Select(_ => GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler() }))];

    public GrpcChannel this[int i] => _channels[i % _channels.Length];

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }
}
