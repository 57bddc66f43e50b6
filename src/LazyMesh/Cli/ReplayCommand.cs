using System.CommandLine;
using System.Threading.Channels;
using LazyMesh.AccessLogs;
using LazyMesh.Als;

namespace LazyMesh.Cli;

/// <summary><c>lazymesh replay</c>: stream Istio access-log files to an ALS endpoint exactly as Envoy would.</summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var target = new Option<string>("--target", "-t") { Description = "The ALS endpoint, HOST:PORT (a host name or IP address; HTTP/2 cleartext)", Required = true };
        var accessLogs = CommonOptions.AccessLogs();
        var batch = new Option<int>("--batch") { Description = "Entries per ALS message", DefaultValueFactory = _ => 100 };
        var rate = new Option<double?>("--rate") { Description = "At most this many entries per second (default: as fast as possible)" };
        var nodeId = new Option<string>("--node-id") { Description = "The Envoy node id sent in the stream's first message", DefaultValueFactory = _ => "lazymesh-replay" };
        var logName = new Option<string>("--log-name") { Description = "The log_name sent in the stream's first message", DefaultValueFactory = _ => "lazymesh-replay" };
        var logFormat = CommonOptions.AccessLogFormat();
        var command = new Command("replay", "Stream Istio access-log files to an ALS endpoint as Envoy does")
        {
            target, accessLogs, batch, rate, nodeId, logName, logFormat,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var paths = parse.GetRequiredValue(accessLogs);
            CommonOptions.RequireExisting("--access-log", paths);
            var endpoint = EndpointParser.ParseTarget("--target", parse.GetRequiredValue(target));
            var batchSize = parse.GetValue(batch);
            if (batchSize < 1)
            {
                throw new UsageException($"--batch must be at least 1, not {batchSize}");
            }

            var maxRate = parse.GetValue(rate);
            if (maxRate is <= 0)
            {
                throw new UsageException($"--rate must be positive, not {maxRate}");
            }

            var formats = CommonOptions.AccessLogFormats(parse.GetValue(logFormat));
            var options = new AlsReplayOptions { BatchSize = batchSize, MaxEntriesPerSecond = maxRate, NodeId = parse.GetRequiredValue(nodeId), LogName = parse.GetRequiredValue(logName) };
            return await RunAsync(endpoint.Authority, paths, options, Console.Error, cancellationToken, formats).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task<int> RunAsync(string target, IReadOnlyList<string> paths, AlsReplayOptions options, TextWriter report, CancellationToken cancellationToken, AccessLogFormatSet? formats = null)
    {
        var channel = Channel.CreateBounded<ReplayEntry>(new BoundedChannelOptions(10_000) { SingleReader = true, SingleWriter = true });
        var stats = new AccessLogReadStats();
        var producer = Task.Run(
            () =>
            {
                try
                {
                    var sink = new ReplayEntryChannelSink(channel.Writer, cancellationToken);
                    var reader = new AccessLogReader(formats: formats);
                    foreach (var path in paths)
                    {
                        reader.ReadFile(path, sink, stats);
                    }

                    channel.Writer.Complete();
                }
                catch (Exception ex)
                {
                    channel.Writer.Complete(ex);
                    throw;
                }
            },
            cancellationToken);

        using var client = new AlsReplayClient(new Uri($"http://{target}"), options);
        var result = await client.ReplayAsync(channel.Reader.ReadAllAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        await producer.ConfigureAwait(false);
        await report.WriteLineAsync(
            $"replayed {Reporting.HumanNumbers.Count(result.HttpEntries)} HTTP and {Reporting.HumanNumbers.Count(result.TcpEntries)} TCP entries in {Reporting.HumanNumbers.Count(result.Messages)} messages to {target}").ConfigureAwait(false);
        foreach (var line in AccessLogIngest.Describe(stats))
        {
            await report.WriteLineAsync(line).ConfigureAwait(false);
        }

        return CliExitCodes.Success;
    }
}
