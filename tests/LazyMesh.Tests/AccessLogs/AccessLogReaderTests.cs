using System.IO.Compression;
using System.Text;
using LazyMesh.AccessLogs;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.AccessLogs;

public sealed class AccessLogReaderTests
{
    private static List<(string Line, long Number)> Lines(AccessLogReader reader, Stream stream, List<long>? tooLong = null)
    {
        var lines = new List<(string, long)>();
        long count = reader.ForEachLine(stream, (line, number) => lines.Add((line.ToString(), number)), n => tooLong?.Add(n));
        Assert.Equal(lines.Count + (tooLong?.Count ?? 0), count);
        return lines;
    }

    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Splits_lf_and_crlf_and_keeps_a_final_line_without_newline()
    {
        var lines = Lines(new AccessLogReader(), Utf8("a\r\nb\n\nc\r\n\r\nlast"));
        Assert.Equal([("a", 1), ("b", 2), ("", 3), ("c", 4), ("", 5), ("last", 6)], lines);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("\n", 1)]
    [InlineData("x\n", 1)]
    [InlineData("x", 1)]
    public void Counts_lines(string text, int expected) => Assert.Equal(expected, Lines(new AccessLogReader(), Utf8(text)).Count);

    [Fact]
    public void Skips_the_byte_order_mark()
    {
        var lines = Lines(new AccessLogReader(), new MemoryStream([.. Encoding.UTF8.Preamble, .. "one\ntwo"u8]));
        Assert.Equal([("one", 1), ("two", 2)], lines);
    }

    [Fact]
    public void Grows_for_long_lines_and_skips_lines_over_the_cap()
    {
        var reader = new AccessLogReader(maxLineBytes: 64, initialBufferBytes: 16);
        string fits = new('a', 63);
        string exactlyCap = new('b', 64);
        string huge = new('c', 1000);
        var tooLong = new List<long>();
        var lines = Lines(reader, Utf8($"short\n{fits}\n{exactlyCap}\n{huge}\r\nafter\n{huge}"), tooLong);
        Assert.Equal([("short", 1), (fits, 2), ("after", 5)], lines);
        Assert.Equal([3L, 4L, 6L], tooLong);
    }

    [Fact]
    public void Pipe_like_reads_give_the_same_lines_including_multibyte_characters()
    {
        string text = "päth → 日本\r\n" + SampleLines.HttpOutbound + "\n\u00e9\n" + SampleLines.Tcp;
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var expected = Lines(new AccessLogReader(), new MemoryStream(bytes));
        var trickled = Lines(new AccessLogReader(maxLineBytes: 4096, initialBufferBytes: 16), new TrickleStream(bytes, 7));
        Assert.Equal(expected, trickled);
        Assert.Equal("päth → 日本", trickled[0].Line);
        Assert.Equal(4, trickled.Count);
    }

    [Fact]
    public void Read_feeds_events_and_counts_problems_with_line_numbers()
    {
        string text = string.Join('\n', SampleLines.HttpOutbound, "", SampleLines.EnvoyOwnLog, SampleLines.Tcp[..40], SampleLines.Passthrough + "\r");
        var sink = new RecordingSink();
        var observed = new List<AccessLogLineProblem>();
        var stats = new AccessLogReader().Read(Utf8(text), "pod.log", sink, new AccessLogReadStats { OnProblem = observed.Add });

        Assert.Equal(["outbound|9080||reviews.bookinfo.svc.cluster.local", "PassthroughCluster"], sink.Events.Select(e => e.UpstreamCluster));
        Assert.Equal((5L, 2L, 1L, 1L, 1L, 0L), (stats.Lines, stats.Parsed, stats.Empty, stats.NotAccessLog, stats.Malformed, stats.TooLong));
        var example = Assert.Single(stats.Examples);
        Assert.Equal(("pod.log", 4L, AccessLogLineKind.Malformed), (example.Source, example.LineNumber, example.Kind));
        Assert.StartsWith("pod.log:4: ", example.ToString(), StringComparison.Ordinal);
        Assert.Equal([3L, 4L], observed.Select(p => p.LineNumber));
    }

    [Fact]
    public void Keeps_only_the_first_examples_and_reports_too_long_lines()
    {
        var lines = Enumerable.Range(0, 20).Select(i => "[broken " + i).Append(new string('[', 1000)).Append(SampleLines.Tcp);
        var stats = new AccessLogReader(maxLineBytes: 256).Read(Utf8(string.Join('\n', lines)), "x.log", new RecordingSink(), new AccessLogReadStats { MaxExamples = 3 });
        Assert.Equal((22L, 20L, 1L, 1L), (stats.Lines, stats.Malformed, stats.TooLong, stats.Parsed));
        Assert.Equal([1L, 2L, 3L], stats.Examples.Select(e => e.LineNumber));
        Assert.Contains("START_TIME", stats.Examples[0].Reason, StringComparison.Ordinal);

        var tooLong = new AccessLogReader(maxLineBytes: 256).Read(Utf8(string.Join('\n', lines)), "x.log", new RecordingSink(), new AccessLogReadStats { MaxExamples = 30 });
        Assert.Contains(tooLong.Examples, e => e.Kind == AccessLogLineKind.TooLong && e.LineNumber == 21);
    }

    [Fact]
    public void Gzip_is_decompressed_by_extension_or_magic()
    {
        string dir = Directory.CreateTempSubdirectory("lazymesh-logs").FullName;
        try
        {
            string text = string.Join('\n', Enumerable.Repeat(SampleLines.HttpOutbound, 1000)) + "\n" + SampleLines.Tcp;
            foreach (string name in new[] { "access.log.gz", "rotated.log.1" })
            {
                string path = Path.Combine(dir, name);
                using (var file = File.Create(path))
                using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
                {
                    gzip.Write(Encoding.UTF8.GetBytes(text));
                }

                var sink = new RecordingSink();
                var stats = new AccessLogReader().ReadFile(path, sink);
                Assert.Equal((1001L, 1001L), (stats.Lines, stats.Parsed));
                Assert.Equal(AccessProtocol.Tcp, sink.Events[^1].Protocol);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Dash_reads_standard_input()
    {
        var reader = new AccessLogReader { OpenStandardInput = () => new TrickleStream(Encoding.UTF8.GetBytes(SampleLines.Inbound + "\nnot a log\n"), 5) };
        var sink = new RecordingSink();
        var stats = reader.ReadFile("-", sink);
        Assert.Equal("inbound|9080||", Assert.Single(sink.Events).UpstreamCluster);
        Assert.Equal(1, stats.NotAccessLog);
    }

    [Fact]
    public void Bookinfo_example_text_log()
    {
        string path = ExampleFiles.Path("bookinfo", "access.log");
        var sink = new RecordingSink();
        var stats = new AccessLogReader().ReadFile(path, sink);

        Assert.Equal((45L, 43L, 1L, 1L), (stats.Lines, stats.Parsed, stats.NotAccessLog, stats.Malformed));
        var malformed = Assert.Single(stats.Examples);
        Assert.Equal(21, malformed.LineNumber);
        Assert.StartsWith(path + ":21: UPSTREAM_HOST", malformed.ToString(), StringComparison.Ordinal);

        var outbound = sink.Events.Where(e => !e.UpstreamCluster.StartsWith("inbound|", StringComparison.Ordinal)).ToList();
        var bySource = outbound.GroupBy(e => e.SourceAddress).ToDictionary(g => g.Key, g => g.Select(e => e.UpstreamCluster).Distinct().Order().ToArray());
        Assert.Equal(
            ["PassthroughCluster", "outbound|443||api.example.com", "outbound|9080||details.bookinfo.svc.cluster.local", "outbound|9080||reviews.bookinfo.svc.cluster.local"],
            bySource["10.244.1.10"]);
        Assert.Equal(["outbound|9080||ratings.bookinfo.svc.cluster.local"], bySource["10.244.1.13"]);
        Assert.Equal(["outbound|9080||ratings.bookinfo.svc.cluster.local"], bySource["10.244.1.14"]);
        Assert.False(bySource.ContainsKey("10.244.1.12"));
        Assert.Equal(3, bySource.Count);

        var passthrough = Assert.Single(outbound, e => e.UpstreamCluster == "PassthroughCluster");
        Assert.Equal(("ratings:9080", "10.96.10.13", 9080), (passthrough.Authority, passthrough.OriginalDestinationAddress, passthrough.OriginalDestinationPort));
        Assert.All(outbound.Where(e => e.UpstreamCluster == "outbound|443||api.example.com"), e => Assert.Equal(AccessProtocol.Tcp, e.Protocol));
        Assert.True(sink.Events.Select(e => e.StartTimeUnixMs).All(ms => ms >= DateTimeOffset.Parse("2024-05-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds()));
    }

    [Fact]
    public void Bookinfo_example_json_log_matches_the_text_log()
    {
        var reader = new AccessLogReader();
        var json = new RecordingSink();
        var stats = reader.ReadFile(ExampleFiles.Path("bookinfo", "access.json.log"), json);
        Assert.Equal((10L, 10L), (stats.Lines, stats.Parsed));

        var text = new RecordingSink();
        reader.ReadFile(ExampleFiles.Path("bookinfo", "access.log"), text);
        Assert.All(json.Events, e => Assert.Contains(e, text.Events));
    }

    [Fact]
    public void Reading_and_parsing_allocates_nothing_per_line()
    {
        byte[] data = Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(0, 20_000).Select(i => SampleLines.All.ElementAt(i % 8))));
        var reader = new AccessLogReader();
        var sink = new CountingSink();
        var stats = new AccessLogReadStats();
        reader.Read(new MemoryStream(data), "warm-up", sink, stats);

        var stream = new MemoryStream(data);
        long before = GC.GetAllocatedBytesForCurrentThread();
        reader.Read(stream, "measured", sink, stats);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(40_000, sink.Count);
        Assert.Equal(40_000, stats.Parsed);
        Assert.True(allocated < 2_000, $"{allocated} bytes allocated for 20,000 lines");
    }
}
