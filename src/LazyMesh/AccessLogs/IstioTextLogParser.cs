namespace LazyMesh.AccessLogs;

/// <summary>
/// Parses one line of any of Istio's default TEXT access-log formats (1.1 onwards, <see cref="IstioAccessLogFormats"/>),
/// trying them newest first, into an <see cref="AccessEvent"/> whose spans point into the line. Allocates nothing.
/// Every field is anchored (see <see cref="TextLogFormat"/>): a truncated line, a line with extra fields, or a quoted
/// field that would swallow the next is malformed, with the reason from the format that matched the most fields.
/// </summary>
public static class IstioTextLogParser
{
    /// <summary>Istio's current default TEXT format (1.23 onwards; 1.9-1.22 print %UPSTREAM_CLUSTER% in the same place).</summary>
    public const string DefaultFormat = IstioAccessLogFormats.Text123;

    private const string NotTextError = "not a TEXT access log line: it does not start with '['";
    private const string EnvoyLogError = "not an access log line: Envoy's own log ([time][thread][level]...)";

    /// <summary>Parses <paramref name="line"/>; <paramref name="error"/> says why when it returns false.</summary>
    public static bool TryParse(ReadOnlySpan<char> line, out AccessEvent accessEvent, out string? error) =>
        Parse(line, out accessEvent, out error) == AccessLogLineKind.Parsed;

    /// <summary>
    /// Parses <paramref name="line"/>: <see cref="AccessLogLineKind.Parsed"/>, <see cref="AccessLogLineKind.Empty"/>,
    /// <see cref="AccessLogLineKind.NotAccessLog"/> (no leading <c>[</c>, or Envoy's own <c>[time][thread]</c> log) or
    /// <see cref="AccessLogLineKind.Malformed"/>; <paramref name="error"/> is set unless parsed or empty.
    /// </summary>
    public static AccessLogLineKind Parse(ReadOnlySpan<char> line, out AccessEvent accessEvent, out string? error)
    {
        accessEvent = default;
        error = null;
        line = line.Trim();
        if (line.IsEmpty)
        {
            return AccessLogLineKind.Empty;
        }

        if (line[0] != '[')
        {
            error = NotTextError;
            return AccessLogLineKind.NotAccessLog;
        }

        int close = line.IndexOf(']');
        if (close >= 0 && close + 1 < line.Length && line[close + 1] == '[')
        {
            error = EnvoyLogError;
            return AccessLogLineKind.NotAccessLog;
        }

        int best = -1;
        var formats = IstioAccessLogFormats.CompiledText;
        for (int i = 0; i < formats.Count; i++)
        {
            var kind = formats[i].Parse(line, out var parsed, out string? reason, out int progress);
            if (kind == AccessLogLineKind.Parsed)
            {
                accessEvent = parsed;
                error = null;
                return kind;
            }

            if (progress > best)
            {
                best = progress;
                error = reason;
            }
        }

        return AccessLogLineKind.Malformed;
    }
}
