namespace LazyMesh.AccessLogs;

/// <summary>
/// Detects the format of each line and parses it: JSON when its first non-blank character is <c>{</c>, else each TEXT
/// format of the <see cref="AccessLogFormatSet"/> whose leading literal the line starts with, the last one that matched
/// first (files are usually uniform). Anything no format starts like (Envoy's and istio-agent's own log lines in
/// <c>kubectl logs</c>) is <see cref="AccessLogLineKind.NotAccessLog"/>; a line that starts like a format but matches none
/// is malformed, with the reason from the format that matched the most fields. Reusable and not thread-safe; the
/// event's spans are valid until the next call (see <see cref="IstioJsonLogParser"/>).
/// </summary>
public sealed class AccessLogLineParser
{
    private const string NotAccessLogError =
        "not an access log line: it starts like none of the access-log formats ('[' for Istio TEXT, '{' for JSON)";

    private const string EnvoyLogError = "not an access log line: Envoy's own log ([time][thread][level]...)";

    private static readonly string[] IstioJsonNames = ["Istio 1.9+ JSON", "Istio 1.8 JSON", "Istio 1.3-1.7 JSON", "Istio 1.2 JSON", "Istio 1.1 JSON"];

    private readonly TextLogFormat[] _text;
    private readonly IstioJsonLogParser[] _json;
    private int _lastText;

    public AccessLogLineParser(AccessLogFormatSet? formats = null)
    {
        var set = formats ?? AccessLogFormatSet.IstioDefaults;
        _text = [.. set.Text];
        _json = [.. set.Json.Select(f => new IstioJsonLogParser(f))];
        StartsWithField = _text.Any(f => f.Leading.Length == 0);
    }

    /// <summary>
    /// Whether a TEXT format begins with a field rather than a literal (a custom format starting with <c>%START_TIME%</c>):
    /// the start of its lines may then look like a prefix a log collector added (<see cref="LinePrefixStripper"/>).
    /// </summary>
    public bool StartsWithField { get; }

    /// <summary>The name of the format the last parsed line matched (e.g. <c>Istio 1.9+ TEXT</c>); a shared string, not allocated per line.</summary>
    public string LastFormat { get; private set; } = string.Empty;

    /// <summary>Parses one line; <paramref name="error"/> is set for <see cref="AccessLogLineKind.NotAccessLog"/> and <see cref="AccessLogLineKind.Malformed"/>.</summary>
    public AccessLogLineKind Parse(ReadOnlySpan<char> line, out AccessEvent accessEvent, out string? error)
    {
        line = line.Trim();
        accessEvent = default;
        error = null;
        if (line.IsEmpty)
        {
            return AccessLogLineKind.Empty;
        }

        if (line[0] == '{')
        {
            return ParseJson(line, out accessEvent, out error);
        }

        if (line[0] == '[')
        {
            int close = line.IndexOf(']');
            if (close >= 0 && close + 1 < line.Length && line[close + 1] == '[')
            {
                error = EnvoyLogError;
                return AccessLogLineKind.NotAccessLog;
            }
        }

        return ParseText(line, out accessEvent, out error);
    }

    private AccessLogLineKind ParseText(ReadOnlySpan<char> line, out AccessEvent accessEvent, out string? error)
    {
        accessEvent = default;
        error = NotAccessLogError;
        var result = AccessLogLineKind.NotAccessLog;
        int best = -1;
        for (int attempt = 0; attempt < _text.Length; attempt++)
        {
            int index = attempt == 0 ? _lastText : (attempt <= _lastText ? attempt - 1 : attempt);
            var format = _text[index];
            // The format fills the event only when the line parses: no copy of the (large) event per attempt.
            var kind = format.Parse(line, out accessEvent, out string? reason, out int progress);
            if (kind == AccessLogLineKind.Parsed)
            {
                _lastText = index;
                LastFormat = format.Name;
                error = null;
                return kind;
            }

            // Ties go to the format tried first: the newest, or the last one that matched.
            if (kind == AccessLogLineKind.Malformed && progress > best)
            {
                best = progress;
                error = reason;
                result = kind;
            }
        }

        return result;
    }

    private AccessLogLineKind ParseJson(ReadOnlySpan<char> line, out AccessEvent accessEvent, out string? error)
    {
        accessEvent = default;
        error = null;
        var result = AccessLogLineKind.NotAccessLog;
        foreach (var parser in _json)
        {
            var kind = parser.Parse(line, out var parsed, out string? reason);
            if (kind == AccessLogLineKind.Parsed)
            {
                LastFormat = parser.Format.IsIstio ? IstioJsonNames[(int)parser.LastFamily] : parser.Format.Name;
                accessEvent = parsed;
                error = null;
                return kind;
            }

            if (error is null || (kind == AccessLogLineKind.Malformed && result != AccessLogLineKind.Malformed))
            {
                error = reason;
                result = kind;
            }
        }

        return result;
    }
}
