using System.Runtime.InteropServices;

namespace LazyMesh.AccessLogs;

/// <summary>
/// Counters of an <see cref="AccessLogReader"/> run (may accumulate over several sources), the first
/// <see cref="MaxExamples"/> malformed or too-long lines, and an optional observer of every problem line.
/// </summary>
public sealed class AccessLogReadStats
{
    private readonly List<AccessLogLineProblem> _examples = [];
    private readonly Dictionary<string, long> _formats = new(StringComparer.Ordinal);
    private readonly long[] _prefixes = new long[Enum.GetValues<LinePrefixKind>().Length];

    /// <summary>How many malformed / too-long lines to keep in <see cref="Examples"/>.</summary>
    public int MaxExamples { get; init; } = 10;

    /// <summary>Called for every line that is not parsed and not empty (not-access-log, malformed, too long).</summary>
    public Action<AccessLogLineProblem>? OnProblem { get; init; }

    /// <summary>Every line read, including empty ones.</summary>
    public long Lines { get; private set; }

    public long Parsed { get; private set; }

    public long Empty { get; private set; }

    /// <summary>Lines that are not access log entries (Envoy's own log in <c>kubectl logs</c>); expected, not errors.</summary>
    public long NotAccessLog { get; private set; }

    public long Malformed { get; private set; }

    public long TooLong { get; private set; }

    /// <summary>The first <see cref="MaxExamples"/> malformed or too-long lines, in reading order.</summary>
    public IReadOnlyList<AccessLogLineProblem> Examples => _examples;

    /// <summary>Malformed and too-long lines not kept in <see cref="Examples"/> (the "and N more").</summary>
    public long MoreProblems => Malformed + TooLong - _examples.Count;

    /// <summary>Parsed lines per format (<c>Istio 1.9+ TEXT</c>, <c>Istio 1.3-1.7 JSON</c>, a custom format's name).</summary>
    public IReadOnlyDictionary<string, long> Formats => _formats;

    /// <summary>Lines per prefix found in front of them (<see cref="LinePrefixKind.None"/> not counted).</summary>
    public IReadOnlyDictionary<LinePrefixKind, long> Prefixes =>
        Enum.GetValues<LinePrefixKind>().Where(k => k != LinePrefixKind.None && _prefixes[(int)k] > 0).ToDictionary(k => k, k => _prefixes[(int)k]);

    /// <summary>Counts a parsed line's format; allocation-free once the format has been seen.</summary>
    public void RecordFormat(string format) => CollectionsMarshal.GetValueRefOrAddDefault(_formats, format, out _)++;

    /// <summary>Counts a line's prefix.</summary>
    public void RecordPrefix(LinePrefixKind prefix)
    {
        if (prefix != LinePrefixKind.None)
        {
            _prefixes[(int)prefix]++;
        }
    }

    /// <summary>One line per problem kept, then <c>and N more</c> when there were more.</summary>
    public IEnumerable<string> DescribeProblems()
    {
        foreach (var example in _examples)
        {
            yield return example.ToString();
        }

        if (MoreProblems > 0)
        {
            yield return $"and {MoreProblems} more";
        }
    }

    /// <summary>e.g. <c>Istio 1.9+ TEXT 120, Istio 1.3-1.7 JSON 4</c>; empty when nothing was parsed.</summary>
    public string DescribeFormats() => string.Join(", ", _formats.OrderByDescending(f => f.Value).ThenBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value}"));

    /// <summary>e.g. <c>Cri 1000</c>; empty when no line had a prefix.</summary>
    public string DescribePrefixes() => string.Join(", ", Prefixes.Select(p => $"{PrefixName(p.Key)} {p.Value}"));

    private static string PrefixName(LinePrefixKind kind) => kind switch
    {
        LinePrefixKind.Cri => "CRI (/var/log/pods)",
        LinePrefixKind.DockerJson => "docker json-file",
        LinePrefixKind.KubectlPrefix => "kubectl logs --prefix",
        LinePrefixKind.Timestamp => "kubectl logs --timestamps",
        LinePrefixKind.Stern => "stern",
        _ => kind.ToString(),
    };

    /// <summary>Counts one line; builds a problem record only when it is kept or observed.</summary>
    public void Record(string source, long lineNumber, AccessLogLineKind kind, string? reason)
    {
        Lines++;
        switch (kind)
        {
            case AccessLogLineKind.Parsed:
                Parsed++;
                return;
            case AccessLogLineKind.Empty:
                Empty++;
                return;
            case AccessLogLineKind.NotAccessLog:
                NotAccessLog++;
                break;
            case AccessLogLineKind.Malformed:
                Malformed++;
                break;
            case AccessLogLineKind.TooLong:
                TooLong++;
                break;
        }

        bool keep = kind != AccessLogLineKind.NotAccessLog && _examples.Count < MaxExamples;
        if (!keep && OnProblem is null)
        {
            return;
        }

        var problem = new AccessLogLineProblem(source, lineNumber, kind, reason ?? kind.ToString());
        if (keep)
        {
            _examples.Add(problem);
        }

        OnProblem?.Invoke(problem);
    }

    public override string ToString() =>
        $"{Lines} lines: {Parsed} parsed, {NotAccessLog} not access log, {Malformed} malformed, {TooLong} too long, {Empty} empty";
}
