namespace LazyMesh.AccessLogs;

/// <summary>
/// Parses one line of Istio's default TEXT access log (<see cref="DefaultFormat"/>, Istio 1.9 and later) into an
/// <see cref="AccessEvent"/> whose spans point into the line. Allocates nothing on success; error messages are
/// constant strings except for the rare ones naming a column.
/// </summary>
/// <remarks>
/// Quoted fields may contain spaces and stray quotes: a quoted field followed by another quoted field ends at the
/// first <c>" "</c>, one followed by an unquoted field at the first <c>"</c> followed by a space and a non-quote, or
/// at the end of the line. REQUESTED_SERVER_NAME and ROUTE_NAME may be missing; fields after ROUTE_NAME are ignored.
/// A line that ends before DOWNSTREAM_REMOTE_ADDRESS is malformed.
/// </remarks>
public static class IstioTextLogParser
{
    /// <summary>
    /// Istio's <c>EnvoyTextLogFormat</c> (pilot/pkg/networking/core, 1.9 onwards; releases before 1.2x print
    /// <c>%UPSTREAM_CLUSTER%</c> where later ones print <c>%UPSTREAM_CLUSTER_RAW%</c>, same position).
    /// </summary>
    public const string DefaultFormat =
        "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% "
        + "%RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% \"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% "
        + "%BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" "
        + "\"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" %UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS% "
        + "%DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%";

    private const int StartTime = 0;
    private const int Request = 1;
    private const int ResponseCode = 2;
    private const int ResponseFlags = 3;
    private const int ResponseCodeDetails = 4;
    private const int ConnectionTerminationDetails = 5;
    private const int UpstreamTransportFailureReason = 6;
    private const int BytesReceived = 7;
    private const int BytesSent = 8;
    private const int Duration = 9;
    private const int UpstreamServiceTime = 10;
    private const int ForwardedFor = 11;
    private const int UserAgent = 12;
    private const int RequestId = 13;
    private const int Authority = 14;
    private const int UpstreamHost = 15;
    private const int UpstreamCluster = 16;
    private const int UpstreamLocalAddress = 17;
    private const int DownstreamLocalAddress = 18;
    private const int DownstreamRemoteAddress = 19;
    private const int FieldCount = 22;

    private const string NotTextError = "not a TEXT access log line: it does not start with '['";
    private const string EnvoyLogError = "not an access log line: Envoy's own log ([time][thread][level]...)";

    private static readonly string[] FieldNames =
    [
        "START_TIME", "\"METHOD PATH PROTOCOL\"", "RESPONSE_CODE", "RESPONSE_FLAGS", "RESPONSE_CODE_DETAILS",
        "CONNECTION_TERMINATION_DETAILS", "UPSTREAM_TRANSPORT_FAILURE_REASON", "BYTES_RECEIVED", "BYTES_SENT", "DURATION",
        "X-ENVOY-UPSTREAM-SERVICE-TIME", "X-FORWARDED-FOR", "USER-AGENT", "X-REQUEST-ID", "AUTHORITY", "UPSTREAM_HOST",
        "UPSTREAM_CLUSTER", "UPSTREAM_LOCAL_ADDRESS", "DOWNSTREAM_LOCAL_ADDRESS", "DOWNSTREAM_REMOTE_ADDRESS",
        "REQUESTED_SERVER_NAME", "ROUTE_NAME",
    ];

    private static readonly string[] MissingErrors = BuildErrors(
        (name, i) => $"line ends before {name} (field {i + 1} of {FieldCount}; truncated line?)");

    private static readonly string[] NotQuotedErrors = BuildErrors((name, _) => $"{name}: expected a quoted value");

    private static readonly string[] UnterminatedErrors = BuildErrors((name, _) => $"{name}: missing closing quote (truncated line?)");

    private static readonly string[] NotNumberErrors = BuildErrors((name, _) => $"{name}: expected a number or '-'");

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
        if (close < 0)
        {
            return Fail("START_TIME: missing ']' (truncated line?)", out error);
        }

        if (close + 1 < line.Length && line[close + 1] == '[')
        {
            error = EnvoyLogError;
            return AccessLogLineKind.NotAccessLog;
        }

        var startTime = line[1..close];
        long startMs = 0;
        if (!IsAbsent(startTime) && !AccessLogTime.TryParseUnixMs(startTime, out startMs))
        {
            return Fail("START_TIME: not an ISO 8601 timestamp", out error);
        }

        int pos = close + 1;
        ReadOnlySpan<char> request, authority, cluster, downstreamLocal, downstreamRemote;
        if (line.Length <= TextLineMasks.MaxChars
            && TryFields(line, pos, out request, out authority, out cluster, out downstreamLocal, out downstreamRemote))
        {
            // The common shape, found with bit scans.
        }
        else if (!TryQuoted(line, ref pos, Request, nextQuoted: false, out request, out error)
            || !TryNumber(line, ref pos, ResponseCode, out error)
            || !TryToken(line, ref pos, ResponseFlags, out _, out error)
            || !TryToken(line, ref pos, ResponseCodeDetails, out _, out error)
            || !TryToken(line, ref pos, ConnectionTerminationDetails, out _, out error)
            || !TryQuoted(line, ref pos, UpstreamTransportFailureReason, nextQuoted: false, out _, out error)
            || !TryNumber(line, ref pos, BytesReceived, out error)
            || !TryNumber(line, ref pos, BytesSent, out error)
            || !TryNumber(line, ref pos, Duration, out error)
            || !TryToken(line, ref pos, UpstreamServiceTime, out _, out error)
            || !TryQuoted(line, ref pos, ForwardedFor, nextQuoted: true, out _, out error)
            || !TryQuoted(line, ref pos, UserAgent, nextQuoted: true, out _, out error)
            || !TryQuoted(line, ref pos, RequestId, nextQuoted: true, out _, out error)
            || !TryQuoted(line, ref pos, Authority, nextQuoted: true, out authority, out error)
            || !TryQuoted(line, ref pos, UpstreamHost, nextQuoted: false, out _, out error)
            || !TryToken(line, ref pos, UpstreamCluster, out cluster, out error)
            || !TryToken(line, ref pos, UpstreamLocalAddress, out _, out error)
            || !TryToken(line, ref pos, DownstreamLocalAddress, out downstreamLocal, out error)
            || !TryToken(line, ref pos, DownstreamRemoteAddress, out downstreamRemote, out error))
        {
            return AccessLogLineKind.Malformed;
        }

        // REQUESTED_SERVER_NAME and ROUTE_NAME are optional and not needed; anything after them is ignored.
        SocketAddressText.Split(downstreamLocal, out var destinationHost, out int destinationPort);
        SocketAddressText.Split(downstreamRemote, out var sourceHost, out _);

        accessEvent.Protocol = IsTcpRequestLine(request) ? AccessProtocol.Tcp : AccessProtocol.Http;
        accessEvent.UpstreamCluster = Present(cluster);
        accessEvent.Authority = Present(authority);
        accessEvent.SourceAddress = sourceHost;
        accessEvent.OriginalDestinationAddress = destinationHost;
        accessEvent.OriginalDestinationPort = destinationPort;
        accessEvent.StartTimeUnixMs = startMs;
        return AccessLogLineKind.Parsed;
    }

    /// <summary>
    /// The fields after START_TIME of a line in the common shape, located with <see cref="TextLineMasks"/>: single spaces
    /// between fields, and every quoted value closed by its first quote followed by the separator the next field
    /// expects (so no stray quotes inside). False for anything else, and the scalar field loop then decides (and
    /// names the problem), so both paths accept the same lines with the same fields.
    /// </summary>
    private static bool TryFields(
        ReadOnlySpan<char> line,
        int pos,
        out ReadOnlySpan<char> request,
        out ReadOnlySpan<char> authority,
        out ReadOnlySpan<char> cluster,
        out ReadOnlySpan<char> downstreamLocal,
        out ReadOnlySpan<char> downstreamRemote)
    {
        request = authority = cluster = downstreamLocal = downstreamRemote = default;
        int words = TextLineMasks.Words(line.Length);
        Span<ulong> masks = stackalloc ulong[2 * words];
        var spaces = masks[..words];
        var quotes = masks[words..];
        TextLineMasks.Build(line, spaces, quotes);

        // pos is just after ']': a single space, then the quoted request line.
        if (pos >= line.Length || line[pos] != ' ')
        {
            return false;
        }

        pos++;
        return FastQuoted(line, quotes, ref pos, nextQuoted: false, out request)
            && FastNumber(line, spaces, ref pos)
            && FastToken(line, spaces, ref pos, out _)
            && FastToken(line, spaces, ref pos, out _)
            && FastToken(line, spaces, ref pos, out _)
            && FastQuoted(line, quotes, ref pos, nextQuoted: false, out _)
            && FastNumber(line, spaces, ref pos)
            && FastNumber(line, spaces, ref pos)
            && FastNumber(line, spaces, ref pos)
            && FastToken(line, spaces, ref pos, out _)
            && FastQuoted(line, quotes, ref pos, nextQuoted: true, out _)
            && FastQuoted(line, quotes, ref pos, nextQuoted: true, out _)
            && FastQuoted(line, quotes, ref pos, nextQuoted: true, out _)
            && FastQuoted(line, quotes, ref pos, nextQuoted: true, out authority)
            && FastQuoted(line, quotes, ref pos, nextQuoted: false, out _)
            && FastToken(line, spaces, ref pos, out cluster)
            && FastToken(line, spaces, ref pos, out _)
            && FastToken(line, spaces, ref pos, out downstreamLocal)
            && FastLastToken(line, spaces, pos, out downstreamRemote);
    }

    /// <summary>A non-empty token at <paramref name="pos"/> ending at a space (not at the end of the line); pos moves past the space.</summary>
    private static bool FastToken(ReadOnlySpan<char> line, scoped ReadOnlySpan<ulong> spaces, scoped ref int pos, out ReadOnlySpan<char> value)
    {
        int end = TextLineMasks.Next(spaces, pos);
        if (end <= pos)
        {
            value = default;
            return false;
        }

        value = line[pos..end];
        pos = end + 1;
        return true;
    }

    /// <summary>DOWNSTREAM_REMOTE_ADDRESS: a non-empty token ending at a space or at the end of the line.</summary>
    private static bool FastLastToken(ReadOnlySpan<char> line, scoped ReadOnlySpan<ulong> spaces, int pos, out ReadOnlySpan<char> value)
    {
        value = default;
        if (pos >= line.Length)
        {
            return false;
        }

        int end = TextLineMasks.Next(spaces, pos);
        if (end < 0)
        {
            end = line.Length;
        }

        if (end == pos)
        {
            return false;
        }

        value = line[pos..end];
        return true;
    }

    private static bool FastNumber(ReadOnlySpan<char> line, scoped ReadOnlySpan<ulong> spaces, scoped ref int pos)
    {
        if (!FastToken(line, spaces, ref pos, out var value))
        {
            return false;
        }

        if (value is "-")
        {
            return true;
        }

        foreach (char c in value)
        {
            if ((uint)(c - '0') > 9)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A quoted value at <paramref name="pos"/> whose first inner quote closes it: followed by a space and then a
    /// quote exactly when <paramref name="nextQuoted"/>. pos moves past the space.
    /// </summary>
    private static bool FastQuoted(ReadOnlySpan<char> line, scoped ReadOnlySpan<ulong> quotes, scoped ref int pos, bool nextQuoted, out ReadOnlySpan<char> value)
    {
        value = default;
        if (pos >= line.Length || line[pos] != '"')
        {
            return false;
        }

        int close = TextLineMasks.Next(quotes, pos + 1);
        if (close < 0 || close + 2 >= line.Length || line[close + 1] != ' ' || (line[close + 2] == '"') != nextQuoted)
        {
            return false;
        }

        value = line[(pos + 1)..close];
        pos = close + 2;
        return true;
    }

    /// <summary><c>- - -</c> (or any request line whose method and protocol are both <c>-</c>) is a TCP connection.</summary>
    private static bool IsTcpRequestLine(ReadOnlySpan<char> request)
    {
        if (request is "- - -")
        {
            return true;
        }

        int firstSpace = request.IndexOf(' ');
        int lastSpace = request.LastIndexOf(' ');
        var method = firstSpace < 0 ? request : request[..firstSpace];
        var protocol = lastSpace < 0 ? default : request[(lastSpace + 1)..];
        return IsAbsent(method) && IsAbsent(protocol);
    }

    private static bool IsAbsent(ReadOnlySpan<char> value) => value.IsEmpty || value is "-";

    private static ReadOnlySpan<char> Present(ReadOnlySpan<char> value) => value is "-" ? default : value;

    private static AccessLogLineKind Fail(string message, out string? error)
    {
        error = message;
        return AccessLogLineKind.Malformed;
    }

    /// <summary>Moves past the separating spaces; false when the line ends first.</summary>
    private static bool SkipSpaces(ReadOnlySpan<char> line, scoped ref int pos, int field, out string? error)
    {
        while (pos < line.Length && line[pos] == ' ')
        {
            pos++;
        }

        if (pos < line.Length)
        {
            error = null;
            return true;
        }

        error = MissingErrors[field];
        return false;
    }

    private static bool TryToken(ReadOnlySpan<char> line, scoped ref int pos, int field, out ReadOnlySpan<char> value, out string? error)
    {
        value = default;
        if (!SkipSpaces(line, ref pos, field, out error))
        {
            return false;
        }

        // Tokens are short ("-", "200", "via_upstream", addresses): a scalar scan beats a vectorized search's setup.
        int end = pos;
        while (end < line.Length && line[end] != ' ')
        {
            end++;
        }

        value = line[pos..end];
        pos = end;
        return true;
    }

    private static bool TryNumber(ReadOnlySpan<char> line, scoped ref int pos, int field, out string? error)
    {
        if (!TryToken(line, ref pos, field, out var value, out error))
        {
            return false;
        }

        if (value is "-")
        {
            return true;
        }

        foreach (char c in value)
        {
            if ((uint)(c - '0') > 9)
            {
                error = NotNumberErrors[field];
                return false;
            }
        }

        return true;
    }

    private static bool TryQuoted(
        ReadOnlySpan<char> line, scoped ref int pos, int field, bool nextQuoted, out ReadOnlySpan<char> value, out string? error)
    {
        value = default;
        if (!SkipSpaces(line, ref pos, field, out error))
        {
            return false;
        }

        if (line[pos] != '"')
        {
            error = NotQuotedErrors[field];
            return false;
        }

        var content = line[(pos + 1)..];
        int end = FindClosingQuote(content, nextQuoted);
        if (end < 0)
        {
            error = UnterminatedErrors[field];
            return false;
        }

        value = content[..end];
        pos += end + 2;
        return true;
    }

    /// <summary>Index of the quote that closes <paramref name="content"/> (the text after the opening quote), or -1.</summary>
    private static int FindClosingQuote(ReadOnlySpan<char> content, bool nextQuoted)
    {
        // Most quoted fields are absent ("-"); then the closing quote is right there.
        if (content.Length >= 2 && content[0] == '-' && content[1] == '"'
            && (content.Length == 2 || (content[2] == ' ' && (content.Length == 3 || (content[3] == '"') == nextQuoted))))
        {
            return 1;
        }

        int offset = 0;
        while (true)
        {
            int i = content[offset..].IndexOf('"');
            if (i < 0)
            {
                return FindClosingQuoteLenient(content);
            }

            i += offset;
            if (i + 1 < content.Length && content[i + 1] == ' ' && i + 2 < content.Length && (content[i + 2] == '"') == nextQuoted)
            {
                return i;
            }

            if (i + 1 >= content.Length)
            {
                // The line ends with this quote: the field is the last one (a truncated line).
                return i;
            }

            offset = i + 1;
        }
    }

    /// <summary>No quote is followed by the expected separator: take the first quote followed by a space, if any.</summary>
    private static int FindClosingQuoteLenient(ReadOnlySpan<char> content) => content.IndexOf("\" ");

    private static string[] BuildErrors(Func<string, int, string> format)
    {
        var errors = new string[FieldCount];
        for (int i = 0; i < FieldCount; i++)
        {
            errors[i] = format(FieldNames[i], i);
        }

        return errors;
    }
}
