using System.Text;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using LazyMesh.AccessLogs;
using LazyMesh.Inventory;
using LazyMesh.Learning;
using LazyMesh.Mesh;

namespace LazyMesh.Bench;

/// <summary>
/// The offline pipeline of <c>lazymesh recommend</c> over a real file, side by side in one run: a generated mesh
/// (200 Services, 300 Deployments, 1,000 pods in 10 namespaces) and a 200,000-line Istio TEXT access log (~80 MB) in
/// a temp directory, page-cache warm after setup. Baselines: an ordinary <see cref="StreamReader.ReadLine"/> loop, and
/// <see cref="AccessLogReader.ForEachLine"/> (our raw reader); then parse only, then parse + attribute + dedupe.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(LinesPerSecondConfig))]
public class RecommendPipelineBenchmarks
{
    public const int LineCount = 200_000;

    /// <summary>A customised MeshConfig accessLogFormat: fields reordered, other literals, no user agent.</summary>
    public const string CustomFormat =
        "%START_TIME% %DOWNSTREAM_REMOTE_ADDRESS% -> %DOWNSTREAM_LOCAL_ADDRESS% [%UPSTREAM_CLUSTER%] authority=\"%REQ(:AUTHORITY)%\" "
        + "\"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% route=%ROUTE_NAME% sni=%REQUESTED_SERVER_NAME%";

    private static readonly Regex DefaultLine = new(
        "^\\[(?<t>[^\\]]*)\\] \"(?<req>[^\"]*)\" (?<code>\\S+) (?<flags>\\S+) \\S+ \\S+ \"[^\"]*\" \\S+ \\S+ \\S+ \\S+ \"[^\"]*\" \"[^\"]*\" \"[^\"]*\" "
        + "\"(?<auth>[^\"]*)\" \"[^\"]*\" (?<cluster>\\S+) \\S+ (?<local>\\S+) (?<remote>\\S+) (?<sni>\\S+) (?<route>\\S+)$",
        RegexOptions.CultureInvariant);

    private readonly AccessLogReader _reader = new();
    private readonly AccessLogReader _customReader = new(formats: AccessLogFormatLoader.Load([CustomFormat]));
    private string _customLog = string.Empty;
    private string _directory = string.Empty;
    private string _log = string.Empty;
    private MeshIndexHolder _index = null!;
    private AccessLogLineCallback _countLine = null!;
    private long _chars;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"lazymesh-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(_directory);
        var mesh = new SyntheticMesh();
        _index = new MeshIndexHolder(MeshIndexBuilder.Build(InventoryLoader.LoadText(mesh.InventoryYaml())));
        _log = Path.Combine(_directory, "access.log");
        SyntheticLogWriter.WriteFile(mesh, _log, LineCount);
        _countLine = (line, _) => _chars += line.Length;
        _customLog = Path.Combine(_directory, "custom.log");
        WriteCustom(_log, _customLog);

        // Warms the page cache and checks the corpus: every line parses and most are attributed.
        var learner = new EdgeLearner(_index, new DependencyStore());
        var stats = _reader.ReadFile(_log, learner);
        if (stats.Parsed != LineCount || learner.Stats.TotalAttributed < LineCount * 8 / 10)
        {
            throw new InvalidOperationException($"corpus: {stats}; attributed {learner.Stats.TotalAttributed}; {string.Join("; ", stats.Examples)}");
        }

        var custom = _customReader.ReadFile(_customLog, new NullAccessEventSink());
        if (custom.Parsed != LineCount || custom.Formats.Keys.Single() != "custom TEXT")
        {
            throw new InvalidOperationException($"custom corpus: {custom}; {custom.DescribeFormats()}; {string.Join("; ", custom.Examples)}");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    /// <summary>(a) What "reading the file line by line" means for ordinary .NET code.</summary>
    [Benchmark(Baseline = true)]
    public long StreamReaderReadLine()
    {
        using var reader = new StreamReader(_log, Encoding.UTF8);
        long lines = 0;
        while (reader.ReadLine() is { } line)
        {
            lines++;
            _chars += line.Length;
        }

        return lines;
    }

    /// <summary>(b) Our raw line loop: pooled buffers, UTF-8 decoded into a reused char buffer, no per-line allocation.</summary>
    [Benchmark]
    public long AccessLogReaderForEachLine()
    {
        using var stream = _reader.Open(_log);
        return _reader.ForEachLine(stream, _countLine);
    }

    /// <summary>(c) Read + parse (format detection, TEXT parser) into a counting sink.</summary>
    [Benchmark]
    public long ReadAndParse() => _reader.ReadFile(_log, new NullAccessEventSink()).Parsed;

    /// <summary>(d) What <c>recommend</c> does per line: read + parse + attribute (MeshIndex) + dedupe (DependencyStore).</summary>
    [Benchmark]
    public long ReadParseAttributeLearn()
    {
        var learner = new EdgeLearner(_index, new DependencyStore());
        _reader.ReadFile(_log, learner);
        return learner.Store.EdgeCount;
    }

    /// <summary>(a') The baseline for the custom-format file: <see cref="StreamReader.ReadLine"/> over it.</summary>
    [Benchmark]
    public long StreamReaderReadLineCustom()
    {
        using var reader = new StreamReader(_customLog, Encoding.UTF8);
        long lines = 0;
        while (reader.ReadLine() is { } line)
        {
            lines++;
            _chars += line.Length;
        }

        return lines;
    }

    /// <summary>(c') Read + parse the same calls written with <see cref="CustomFormat"/> (<c>--log-format</c>), tried first.</summary>
    [Benchmark]
    public long ReadAndParseCustom() => _customReader.ReadFile(_customLog, new NullAccessEventSink()).Parsed;

    /// <summary>The same calls in <see cref="CustomFormat"/>, converted line by line from the default-format log.</summary>
    private static void WriteCustom(string from, string to)
    {
        using var output = new StreamWriter(to, append: false, new UTF8Encoding(false), 1 << 20);
        foreach (var line in File.ReadLines(from))
        {
            var m = DefaultLine.Match(line);
            if (!m.Success)
            {
                throw new InvalidOperationException($"not a default line: {line}");
            }

            output.Write($"{m.Groups["t"]} {m.Groups["remote"]} -> {m.Groups["local"]} [{m.Groups["cluster"]}] authority=\"{m.Groups["auth"]}\" ");
            output.Write($"\"{m.Groups["req"]}\" {m.Groups["code"]} {m.Groups["flags"]} route={m.Groups["route"]} sni={m.Groups["sni"]}\n");
        }
    }
}
