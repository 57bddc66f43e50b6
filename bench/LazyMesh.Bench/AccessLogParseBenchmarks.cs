using BenchmarkDotNet.Attributes;
using LazyMesh.AccessLogs;

namespace LazyMesh.Bench;

/// <summary>
/// 100,000 generated Istio sidecar access log lines read from memory: the bare line loop against the line loop plus
/// parsing (TEXT and JSON encodings). Lines per second = 100,000 / mean.
/// </summary>
[MemoryDiagnoser]
public class AccessLogParseBenchmarks
{
    public const int LineCount = 100_000;

    private readonly AccessLogReader _reader = new();
    private byte[] _text = [];
    private byte[] _json = [];
    private AccessLogLineCallback _countLine = null!;
    private NullAccessEventSink _sink = null!;
    private long _chars;

    [GlobalSetup]
    public void Setup()
    {
        _text = AccessLogCorpus.Generate(LineCount, json: false);
        _json = AccessLogCorpus.Generate(LineCount, json: true);
        _countLine = (line, _) => _chars += line.Length;
        _sink = new NullAccessEventSink();
        var check = new AccessLogReadStats();
        _reader.Read(new MemoryStream(_text), "text", _sink, check);
        _reader.Read(new MemoryStream(_json), "json", _sink, check);
        if (check.Parsed != 2 * LineCount)
        {
            throw new InvalidOperationException($"corpus does not parse: {check}; {string.Join("; ", check.Examples)}");
        }
    }

    [Benchmark(Baseline = true)]
    public long ReadLinesOnlyText() => _reader.ForEachLine(new MemoryStream(_text), _countLine);

    [Benchmark]
    public long ReadAndParseText() => _reader.Read(new MemoryStream(_text), "text", _sink).Parsed;

    [Benchmark]
    public long ReadLinesOnlyJson() => _reader.ForEachLine(new MemoryStream(_json), _countLine);

    [Benchmark]
    public long ReadAndParseJson() => _reader.Read(new MemoryStream(_json), "json", _sink).Parsed;
}
