namespace LazyMesh.AccessLogs;

/// <summary>
/// Counters of an <see cref="AccessLogReader"/> run (may accumulate over several sources), the first
/// <see cref="MaxExamples"/> malformed or too-long lines, and an optional observer of every problem line.
/// </summary>
public sealed class AccessLogReadStats
{
    private readonly List<AccessLogLineProblem> _examples = [];

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
