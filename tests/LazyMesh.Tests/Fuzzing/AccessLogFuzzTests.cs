using System.Text;
using LazyMesh.AccessLogs;
using LazyMesh.Tests.AccessLogs;
using LazyMesh.Tests.Support;
using Xunit.Abstractions;

namespace LazyMesh.Tests.Fuzzing;

/// <summary>
/// Issue 11, fuzzing: mutated access logs (default TEXT, JSON, a custom <c>--log-format</c> TEXT and JSON) never make the
/// reader throw; every line is accounted for as parsed, empty, not an access log, malformed (with a reason) or too long.
/// </summary>
public sealed class AccessLogFuzzTests(ITestOutputHelper output)
{
    private const int MaxLineBytes = 4096;

    private static readonly IReadOnlyDictionary<string, string> CustomLabels = CustomFormatTests.CamelCaseLabels;

    private static readonly string CustomLabelsJson = System.Text.Json.JsonSerializer.Serialize(CustomLabels);

    private static readonly AccessLogFormatSet[] FormatSets =
    [
        AccessLogFormatSet.IstioDefaults,
        AccessLogFormatLoader.Load([CustomFormatTests.Custom]),
        AccessLogFormatLoader.Load([CustomLabelsJson]),
    ];

    /// <summary>Lines of every format the parsers know, and a few files' worth of them.</summary>
    private static readonly byte[][] Seeds = BuildSeeds();

    private static byte[][] BuildSeeds()
    {
        var call = new EnvoyLineRenderer.Call();
        var lines = new List<string>(SampleLines.All)
        {
            SampleLines.EnvoyOwnLog,
            EnvoyLineRenderer.Text(CustomFormatTests.Custom, call),
            EnvoyLineRenderer.Text(CustomFormatTests.Custom, call with { ResponseFlags = "NR", Protocol = "HTTP/2" }),
            EnvoyLineRenderer.Json(CustomLabels, call),
            "2024-05-01T12:00:00.000000000Z stdout F " + SampleLines.HttpOutbound,
        };
        lines.AddRange(File.ReadLines(Path.Combine(RepoPaths.RepositoryRoot, "examples", "bookinfo", "access.json.log")).Take(4));
        var seeds = lines.Select(l => Encoding.UTF8.GetBytes(l + "\n")).ToList();
        seeds.Add(Encoding.UTF8.GetBytes(string.Join("\n", lines.Take(6)) + "\n"));
        seeds.Add(Encoding.UTF8.GetBytes(string.Join("\r\n", lines.Skip(6))));
        return [.. seeds];
    }

    [Fact]
    public void Mutated_access_logs_are_parsed_or_counted_as_problems_with_a_reason_never_thrown()
    {
        FuzzRun.Check(Mutations.Of(Seeds, TextDialect.Instance), ReadWithEveryFormat, iterations: 1_500, output, Mutations.Print);
    }

    private static void ReadWithEveryFormat(byte[] input)
    {
        foreach (var formats in FormatSets)
        {
            var sink = new CheckingSink();
            var stats = new AccessLogReader(MaxLineBytes, initialBufferBytes: 64, formats).Read(new MemoryStream(input), "fuzz.log", sink, new AccessLogReadStats { MaxExamples = 1_000 });

            Assert.Equal(stats.Lines, stats.Parsed + stats.Empty + stats.NotAccessLog + stats.Malformed + stats.TooLong);
            Assert.Equal(stats.Parsed, sink.Count);
            Assert.All(stats.Examples, p => Assert.False(string.IsNullOrWhiteSpace(p.Reason), $"no reason for line {p.LineNumber} ({p.Kind})"));
            Assert.Equal(stats.Malformed + stats.TooLong, stats.Examples.Count + stats.MoreProblems);
        }
    }

    [Fact]
    public void Mutated_log_format_strings_are_compiled_or_refused_with_an_access_log_format_error()
    {
        byte[][] formats = [Encoding.UTF8.GetBytes(CustomFormatTests.Custom), Encoding.UTF8.GetBytes(CustomLabelsJson), Encoding.UTF8.GetBytes(IstioTextLogParser.DefaultFormat)];
        FuzzRun.Check(
            Mutations.Of(formats, TextDialect.Instance),
            input =>
            {
                var value = Encoding.UTF8.GetString(input);
                AccessLogFormatSet compiled;
                try
                {
                    compiled = AccessLogFormatLoader.Load([value]);
                }
                catch (AccessLogFormatException e)
                {
                    Assert.False(string.IsNullOrWhiteSpace(e.Message));
                    return;
                }

                // A format that compiles parses (or refuses) every seed line without throwing.
                var parser = new AccessLogLineParser(compiled);
                foreach (var seed in Seeds)
                {
                    var kind = parser.Parse(Encoding.UTF8.GetString(seed).TrimEnd('\n'), out _, out var error);
                    Assert.True(kind != AccessLogLineKind.Malformed || !string.IsNullOrWhiteSpace(error));
                }
            },
            iterations: 500,
            output,
            Mutations.Print);
    }

    /// <summary>Counts events and checks what every parsed event must hold.</summary>
    private sealed class CheckingSink : IAccessEventSink
    {
        public long Count { get; private set; }

        public void OnEvent(scoped in AccessEvent accessEvent)
        {
            Count++;
            Assert.InRange(accessEvent.OriginalDestinationPort, 0, 65_535);
            Assert.True(Enum.IsDefined(accessEvent.Protocol), $"protocol {accessEvent.Protocol}");
        }
    }
}
