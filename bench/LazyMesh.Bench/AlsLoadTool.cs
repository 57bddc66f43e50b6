using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Grpc.Core;
using Grpc.Net.Client;
using LazyMesh.Als;

namespace LazyMesh.Bench;

/// <summary>
/// Target 2 (issue: ALS): sustained entries/s over loopback gRPC. Starts two <see cref="AlsLoadServer"/> child
/// processes (Decode with the EdgeLearner sink, and Discard), then runs alternating fixed-duration rounds against
/// each from this process: <c>--streams</c> concurrent client-streaming calls over <c>--connections</c> HTTP/2
/// connections, each a sidecar of the 1,000-workload mesh sending its identifier and then pre-encoded 100-entry
/// messages as raw bytes (<see cref="AlsGrpcMethods.RawStreamAccessLogs"/>, no client-side protobuf work) until the
/// round's time is up. Entries/s = the server's entry counter delta / time until every stream's response arrived.
/// </summary>
internal static class AlsLoadTool
{
    private const int EntriesPerMessage = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new ToolArgs(args);
        var streams = options.Int("streams", 64);
        var connections = options.Int("connections", 8);
        var seconds = options.Int("seconds", 10);
        var rounds = options.Int("rounds", 3);
        var warmup = options.Int("warmup", 3);
        var mesh = new AlsSyntheticMesh(1000, 500);

        // Per stream: its identifier and two messages of 100 entries over the sidecar's steady-state edges.
        var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60;
        var corpus = new (AlsRawMessage Identifier, AlsRawMessage[] Entries)[streams];
        for (var i = 0; i < streams; i++)
        {
            var w = (int)((long)i * mesh.Workloads / streams);
            var messages = new AlsRawMessage[2];
            for (var m = 0; m < messages.Length; m++)
            {
                var destinations = Enumerable.Range(0, EntriesPerMessage).Select(e => mesh.KnownService(w, (e + m) % mesh.EdgesPerWorkload)).ToArray();
                messages[m] = AlsRawMessage.FromBytes(AlsCorpus.HttpEntries(mesh, w, 0, destinations, start));
            }

            corpus[i] = (AlsRawMessage.FromBytes(AlsCorpus.Identifier(mesh, w, 0)), messages);
        }

        Console.WriteLine($"als-load: {streams} streams over {connections} connections, {seconds} s rounds x {rounds} per mode (+{warmup} s warm-up), " +
            $"{corpus[0].Entries[0].Length} bytes per 100-entry message, {Environment.ProcessorCount} cores");
        await using var decode = await AlsServerProcess.StartAsync(AlsHandlerMode.Decode);
        await using var discard = await AlsServerProcess.StartAsync(AlsHandlerMode.Discard);
        var targets = new[] { (Mode: AlsHandlerMode.Decode, Server: decode), (Mode: AlsHandlerMode.Discard, Server: discard) };
        var channels = targets.ToDictionary(t => t.Mode, t => Enumerable.Range(0, connections)
            .Select(_ => GrpcChannel.ForAddress($"http://127.0.0.1:{t.Server.Port}", new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler() }))
            .ToArray());
        try
        {
            foreach (var (mode, server) in targets)
            {
                var w = await RoundAsync(channels[mode], corpus, server, TimeSpan.FromSeconds(warmup));
                Console.WriteLine($"warm-up {mode,-7}: {w.Rate,12:N0} entries/s");
            }

            var results = new Dictionary<AlsHandlerMode, List<double>> { [AlsHandlerMode.Decode] = [], [AlsHandlerMode.Discard] = [] };
            for (var r = 0; r < rounds; r++)
            {
                // Alternate the order so that neither mode always runs second (thermal, background noise).
                foreach (var (mode, server) in r % 2 == 0 ? targets : targets.Reverse())
                {
                    var result = await RoundAsync(channels[mode], corpus, server, TimeSpan.FromSeconds(seconds));
                    results[mode].Add(result.Rate);
                    Console.WriteLine($"round {r + 1} {mode,-7}: {result.Rate,12:N0} entries/s ({result.Entries:N0} entries in {result.Elapsed.TotalSeconds:0.00} s; server {result.Server})");
                }
            }

            var decodeMean = results[AlsHandlerMode.Decode].Average();
            var discardMean = results[AlsHandlerMode.Discard].Average();
            Console.WriteLine($"mean Decode+learn: {decodeMean,12:N0} entries/s");
            Console.WriteLine($"mean Discard     : {discardMean,12:N0} entries/s");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio Decode/Discard: {decodeMean / discardMean:P1} (per round: {string.Join(", ", results[AlsHandlerMode.Decode].Zip(results[AlsHandlerMode.Discard], (a, b) => (a / b).ToString("P1", CultureInfo.InvariantCulture)))})"));
            return 0;
        }
        finally
        {
            foreach (var channel in channels.Values.SelectMany(c => c))
            {
                channel.Dispose();
            }
        }
    }

    private static async Task<(double Rate, long Entries, TimeSpan Elapsed, string Server)> RoundAsync(
        GrpcChannel[] channels, (AlsRawMessage Identifier, AlsRawMessage[] Entries)[] corpus, AlsServerProcess server, TimeSpan duration)
    {
        var before = await server.StatsAsync();
        var clock = Stopwatch.StartNew();
        var sent = await Task.WhenAll(corpus.Select((stream, i) => Task.Run(() => StreamAsync(channels[i % channels.Length], stream, clock, duration))));
        var elapsed = clock.Elapsed;
        var after = await server.StatsAsync();
        var entries = after.Entries - before.Entries;
        var expected = sent.Sum() * EntriesPerMessage;
        if (server.Mode == AlsHandlerMode.Decode && entries != expected)
        {
            throw new InvalidOperationException($"server decoded {entries} entries, client sent {expected}");
        }

        var counted = server.Mode == AlsHandlerMode.Decode ? entries : (after.Messages - before.Messages - corpus.Length) * EntriesPerMessage;
        var detail = server.Mode == AlsHandlerMode.Decode
            ? $"attributed +{after.Attributed - before.Attributed:N0}, skipped +{after.Skipped - before.Skipped:N0}, edges {after.Edges:N0}"
            : $"messages +{after.Messages - before.Messages:N0}";
        return (counted / elapsed.TotalSeconds, counted, elapsed, detail);
    }

    private static async Task<long> StreamAsync(GrpcChannel channel, (AlsRawMessage Identifier, AlsRawMessage[] Entries) stream, Stopwatch clock, TimeSpan duration)
    {
        using var call = channel.CreateCallInvoker().AsyncClientStreamingCall(AlsGrpcMethods.RawStreamAccessLogs, null, default(CallOptions));
        await call.RequestStream.WriteAsync(stream.Identifier);
        long sent = 0;
        while (clock.Elapsed < duration)
        {
            await call.RequestStream.WriteAsync(stream.Entries[sent % stream.Entries.Length]);
            sent++;
        }

        await call.RequestStream.CompleteAsync();
        await call.ResponseAsync;
        return sent;
    }
}
