using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using LazyMesh.AccessLogs;
using LazyMesh.Inventory;
using LazyMesh.Learning;
using LazyMesh.Mesh;

namespace LazyMesh.Bench;

/// <summary>
/// The offline pipeline of <c>lazymesh recommend</c> over a real file, side by side in one run: a generated mesh
/// (200 Services, 300 Deployments, 1,000 pods in 10 namespaces) and a 200,000-line Istio TEXT access log (~80 MB) in
/// a temp directory, page-cache warm after setup. Baselines: an ordinary <see cref="StreamReader.ReadLine"/> loop, and
/// <see cref="AccessLogReader.ForEachLine"/> (our raw reader); then parse only, then parse + attribute + dedupe. The same
/// calls are also written in a custom TEXT format and a custom JSON format (<c>--log-format</c>), each file in its own
/// category whose baseline is <see cref="StreamReader.ReadLine"/> over that file, so every Ratio is to ReadLine on the same file.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(LinesPerSecondConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RecommendPipelineBenchmarks
{
    public const int LineCount = 200_000;

    /// <summary>A customised MeshConfig accessLogFormat: fields reordered, other literals, no user agent.</summary>
    public const string CustomFormat =
        "%START_TIME% %DOWNSTREAM_REMOTE_ADDRESS% -> %DOWNSTREAM_LOCAL_ADDRESS% [%UPSTREAM_CLUSTER%] authority=\"%REQ(:AUTHORITY)%\" "
        + "\"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% route=%ROUTE_NAME% sni=%REQUESTED_SERVER_NAME%";

    /// <summary>
    /// A custom JSON format (MeshConfig <c>accessLogFormat</c> with <c>accessLogEncoding: JSON</c>, or a Telemetry
    /// provider's <c>logFormat.labels</c>): camelCase keys, the fields of Istio's default plus a few LazyMesh does not read.
    /// </summary>
    public const string CustomJsonFormat =
        "{\"startTime\":\"%START_TIME%\",\"method\":\"%REQ(:METHOD)%\",\"path\":\"%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%\",\"protocol\":\"%PROTOCOL%\","
        + "\"responseCode\":\"%RESPONSE_CODE%\",\"responseFlags\":\"%RESPONSE_FLAGS%\",\"bytesReceived\":\"%BYTES_RECEIVED%\",\"bytesSent\":\"%BYTES_SENT%\","
        + "\"duration\":\"%DURATION%\",\"userAgent\":\"%REQ(USER-AGENT)%\",\"requestId\":\"%REQ(X-REQUEST-ID)%\",\"authority\":\"%REQ(:AUTHORITY)%\","
        + "\"upstreamHost\":\"%UPSTREAM_HOST%\",\"upstreamCluster\":\"%UPSTREAM_CLUSTER_RAW%\",\"sourceAddress\":\"%DOWNSTREAM_REMOTE_ADDRESS%\","
        + "\"destinationAddress\":\"%DOWNSTREAM_LOCAL_ADDRESS%\",\"sni\":\"%REQUESTED_SERVER_NAME%\",\"routeName\":\"%ROUTE_NAME%\"}";

    private const string Default = "default format";
    private const string CustomText = "custom TEXT";
    private const string CustomJson = "custom JSON";

    private static readonly Regex DefaultLine = new(
        "^\\[(?<t>[^\\]]*)\\] \"(?<req>[^\"]*)\" (?<code>\\S+) (?<flags>\\S+) \\S+ \\S+ \"[^\"]*\" (?<rx>\\S+) (?<tx>\\S+) (?<dur>\\S+) \\S+ \"[^\"]*\" "
        + "\"(?<ua>[^\"]*)\" \"(?<id>[^\"]*)\" \"(?<auth>[^\"]*)\" \"(?<host>[^\"]*)\" (?<cluster>\\S+) \\S+ (?<local>\\S+) (?<remote>\\S+) (?<sni>\\S+) (?<route>\\S+)$",
        RegexOptions.CultureInvariant);

    private readonly AccessLogReader _reader = new();
    private readonly AccessLogReader _customReader = new(formats: AccessLogFormatLoader.Load([CustomFormat]));
    private readonly AccessLogReader _customJsonReader = new(formats: AccessLogFormatLoader.Load([CustomJsonFormat]));
    private string _customLog = string.Empty;
    private string _customJsonLog = string.Empty;
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
        _customJsonLog = Path.Combine(_directory, "custom-json.log");
        WriteCustom(_log, _customLog, _customJsonLog);

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

        var json = _customJsonReader.ReadFile(_customJsonLog, new NullAccessEventSink());
        if (json.Parsed != LineCount || json.Formats.Keys.Single() != "custom JSON")
        {
            throw new InvalidOperationException($"custom JSON corpus: {json}; {json.DescribeFormats()}; {string.Join("; ", json.Examples)}");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    /// <summary>(a) What "reading the file line by line" means for ordinary .NET code.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Default)]
    public long StreamReaderReadLine() => ReadLines(_log);

    /// <summary>(b) Our raw line loop: pooled buffers, UTF-8 decoded into a reused char buffer, no per-line allocation.</summary>
    [Benchmark]
    [BenchmarkCategory(Default)]
    public long AccessLogReaderForEachLine()
    {
        using var stream = _reader.Open(_log);
        return _reader.ForEachLine(stream, _countLine);
    }

    /// <summary>(c) Read + parse (format detection, TEXT parser) into a counting sink.</summary>
    [Benchmark]
    [BenchmarkCategory(Default)]
    public long ReadAndParse() => _reader.ReadFile(_log, new NullAccessEventSink()).Parsed;

    /// <summary>(d) What <c>recommend</c> does per line: read + parse + attribute (MeshIndex) + dedupe (DependencyStore).</summary>
    [Benchmark]
    [BenchmarkCategory(Default)]
    public long ReadParseAttributeLearn()
    {
        var learner = new EdgeLearner(_index, new DependencyStore());
        _reader.ReadFile(_log, learner);
        return learner.Store.EdgeCount;
    }

    /// <summary>(a') The baseline for the custom-format file: <see cref="StreamReader.ReadLine"/> over it.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(CustomText)]
    public long StreamReaderReadLineCustom() => ReadLines(_customLog);

    /// <summary>(c') Read + parse the same calls written with <see cref="CustomFormat"/> (<c>--log-format</c>), tried first.</summary>
    [Benchmark]
    [BenchmarkCategory(CustomText)]
    public long ReadAndParseCustom() => _customReader.ReadFile(_customLog, new NullAccessEventSink()).Parsed;

    /// <summary>(a'') The baseline for the custom JSON file: <see cref="StreamReader.ReadLine"/> over it.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(CustomJson)]
    public long StreamReaderReadLineCustomJson() => ReadLines(_customJsonLog);

    /// <summary>(c'') Read + parse the same calls written with <see cref="CustomJsonFormat"/> (<c>--log-format '{...}'</c>), tried first.</summary>
    [Benchmark]
    [BenchmarkCategory(CustomJson)]
    public long ReadAndParseCustomJson() => _customJsonReader.ReadFile(_customJsonLog, new NullAccessEventSink()).Parsed;

    private long ReadLines(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        long lines = 0;
        while (reader.ReadLine() is { } line)
        {
            lines++;
            _chars += line.Length;
        }

        return lines;
    }

    /// <summary>
    /// The same calls in <see cref="CustomFormat"/> and <see cref="CustomJsonFormat"/>, converted line by line from the
    /// default-format log. JSON as Envoy prints it: values that are <c>-</c> in TEXT are <c>null</c>, numbers are numbers.
    /// </summary>
    private static void WriteCustom(string from, string toText, string toJson)
    {
        using var text = new StreamWriter(toText, append: false, new UTF8Encoding(false), 1 << 20);
        using var json = new StreamWriter(toJson, append: false, new UTF8Encoding(false), 1 << 20);
        var buffer = new MemoryStream();
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        foreach (var line in File.ReadLines(from))
        {
            var m = DefaultLine.Match(line);
            if (!m.Success)
            {
                throw new InvalidOperationException($"not a default line: {line}");
            }

            text.Write($"{m.Groups["t"]} {m.Groups["remote"]} -> {m.Groups["local"]} [{m.Groups["cluster"]}] authority=\"{m.Groups["auth"]}\" ");
            text.Write($"\"{m.Groups["req"]}\" {m.Groups["code"]} {m.Groups["flags"]} route={m.Groups["route"]} sni={m.Groups["sni"]}\n");

            var request = m.Groups["req"].Value.Split(' ');
            buffer.SetLength(0);
            using (var writer = new Utf8JsonWriter(buffer, options))
            {
                writer.WriteStartObject();
                Text(writer, "startTime", m.Groups["t"].Value);
                Text(writer, "method", request[0]);
                Text(writer, "path", request[1]);
                Text(writer, "protocol", request[2]);
                Number(writer, "responseCode", m.Groups["code"].Value);
                Text(writer, "responseFlags", m.Groups["flags"].Value);
                Number(writer, "bytesReceived", m.Groups["rx"].Value);
                Number(writer, "bytesSent", m.Groups["tx"].Value);
                Number(writer, "duration", m.Groups["dur"].Value);
                Text(writer, "userAgent", m.Groups["ua"].Value);
                Text(writer, "requestId", m.Groups["id"].Value);
                Text(writer, "authority", m.Groups["auth"].Value);
                Text(writer, "upstreamHost", m.Groups["host"].Value);
                Text(writer, "upstreamCluster", m.Groups["cluster"].Value);
                Text(writer, "sourceAddress", m.Groups["remote"].Value);
                Text(writer, "destinationAddress", m.Groups["local"].Value);
                Text(writer, "sni", m.Groups["sni"].Value);
                Text(writer, "routeName", m.Groups["route"].Value);
                writer.WriteEndObject();
            }

            json.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            json.Write('\n');
        }

        static void Text(Utf8JsonWriter writer, string key, string value)
        {
            if (value == "-")
            {
                writer.WriteNull(key);
            }
            else
            {
                writer.WriteString(key, value);
            }
        }

        static void Number(Utf8JsonWriter writer, string key, string value)
        {
            if (long.TryParse(value, out long number))
            {
                writer.WriteNumber(key, number);
            }
            else
            {
                writer.WriteNull(key);
            }
        }
    }
}
