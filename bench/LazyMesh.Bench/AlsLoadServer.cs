using System.Net;
using LazyMesh.Als;
using LazyMesh.Learning;
using LazyMesh.Mesh;

namespace LazyMesh.Bench;

/// <summary>
/// The server side of <c>als-load</c>, run as its own process: an <see cref="AlsServer"/> on 127.0.0.1:0 in
/// Decode mode with the real <see cref="EdgeLearner"/> (MeshIndex of the 1,000-workload mesh + DependencyStore)
/// as sink, or in Discard mode. Prints <c>listening PORT</c>; then answers each <c>stats</c> line on stdin
/// with <c>stats MESSAGES ENTRIES ATTRIBUTED SKIPPED EDGES</c>; exits at end of input.
/// </summary>
internal static class AlsLoadServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new ToolArgs(args);
        var mode = Enum.Parse<AlsHandlerMode>(options.String("mode", "Decode"), ignoreCase: true);
        var mesh = new AlsSyntheticMesh(options.Int("workloads", 1000), options.Int("services", 500));
        var index = MeshIndexBuilder.Build(mesh.BuildSnapshot());
        var store = new DependencyStore();
        var learner = new EdgeLearner(new MeshIndexHolder(index), store);
        await using var server = new AlsServer(new IPEndPoint(IPAddress.Loopback, 0), new AlsServerOptions { Mode = mode }, learner);
        await server.StartAsync();
        Console.WriteLine($"listening {server.BoundEndPoint.Port}");
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "stats")
            {
                var s = server.Stats;
                Console.WriteLine($"stats {s.Messages} {s.HttpEntries + s.TcpEntries} {learner.Stats.TotalAttributed} {learner.Stats.TotalSkipped} {store.EdgeCount}");
            }
        }

        return 0;
    }
}
