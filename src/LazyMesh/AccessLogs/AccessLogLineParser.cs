namespace LazyMesh.AccessLogs;

/// <summary>
/// Picks the format of each line: JSON when its first non-blank character is <c>{</c>, Istio TEXT when it is
/// <c>[</c>; anything else (Envoy's and istio-agent's own log lines in <c>kubectl logs</c>) is
/// <see cref="AccessLogLineKind.NotAccessLog"/>. Reusable and not thread-safe; the event's spans are valid until the
/// next call (see <see cref="IstioJsonLogParser"/>).
/// </summary>
public sealed class AccessLogLineParser
{
    private const string NotAccessLogError =
        "not an access log line: it starts with neither '[' (Istio TEXT) nor '{' (Istio JSON)";

    private readonly IstioJsonLogParser _json = new();

    /// <summary>Parses one line; <paramref name="error"/> is set for <see cref="AccessLogLineKind.NotAccessLog"/> and <see cref="AccessLogLineKind.Malformed"/>.</summary>
    public AccessLogLineKind Parse(ReadOnlySpan<char> line, out AccessEvent accessEvent, out string? error)
    {
        int i = 0;
        while (i < line.Length && char.IsWhiteSpace(line[i]))
        {
            i++;
        }

        if (i == line.Length)
        {
            accessEvent = default;
            error = null;
            return AccessLogLineKind.Empty;
        }

        switch (line[i])
        {
            case '[':
                return IstioTextLogParser.Parse(line[i..], out accessEvent, out error);
            case '{':
                return _json.Parse(line[i..], out accessEvent, out error);
            default:
                accessEvent = default;
                error = NotAccessLogError;
                return AccessLogLineKind.NotAccessLog;
        }
    }
}
