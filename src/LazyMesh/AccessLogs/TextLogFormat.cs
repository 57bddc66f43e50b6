using System.Runtime.CompilerServices;

namespace LazyMesh.AccessLogs;

/// <summary>
/// A parser derived from an Envoy TEXT format string: the literals between command operators anchor every field, so a
/// line parses only when all of it is accounted for (a quoted field cannot swallow the next one; missing or extra fields
/// make the line malformed). The fields LazyMesh needs (<see cref="AccessLogFields.Required"/>) are checked when the
/// format is compiled. Allocates nothing per line; thread-safe (immutable).
/// </summary>
/// <remarks>
/// A field is <b>quoted</b> when the literal before it ends with <c>"</c> and the one after it starts with <c>"</c>: its
/// value may contain spaces and stray quotes and ends at the first occurrence of the literal after it; when an unquoted
/// field follows, that occurrence must not be followed by a quote (which would start a quoted field the format does not
/// have there: the line is then not of this format, rather than one field swallowing the next). Any other field
/// ends at the first occurrence of the first character of the literal after it (a space, usually), which must then be
/// followed by the rest of that literal. Two operators with nothing between them cannot be told apart and are refused.
/// </remarks>
public sealed class TextLogFormat
{
    private const int MaskWords = TextLineMasks.MaxChars / 64;

    private readonly string[] _literals;
    private readonly AccessLogField[] _fields;
    private readonly bool[] _quoted;
    private readonly string[] _endsBefore;
    private readonly string[] _unterminated;
    private readonly string[] _notNumber;
    private readonly string[] _badSeparator;
    private readonly string _extra;
    private readonly string _notThisFormat;
    private readonly bool _hasProtocol;

    private TextLogFormat(string name, string format, string[] literals, AccessLogField[] fields, bool[] quoted, string[] names)
    {
        Name = name;
        Format = format;
        _literals = literals;
        _fields = fields;
        _quoted = quoted;
        _hasProtocol = fields.Contains(AccessLogField.Protocol);
        int n = fields.Length;
        _endsBefore = new string[n];
        _unterminated = new string[n];
        _notNumber = new string[n];
        _badSeparator = new string[n];
        for (int i = 0; i < n; i++)
        {
            _endsBefore[i] = i + 1 < n
                ? $"line ends before {names[i + 1]} (field {i + 2} of {n}; truncated line?)"
                : $"line ends inside {names[i]} (truncated line?)";
            _unterminated[i] = $"{names[i]}: missing closing quote (truncated line?)";
            _notNumber[i] = $"{names[i]}: expected a number or '-'";
            _badSeparator[i] = $"{names[i]}: not followed by \"{literals[i + 1]}\" as the format says";
        }

        _extra = $"unexpected text after {names[n - 1]}, the last field (extra fields?)";
        _notThisFormat = $"does not start with \"{literals[0]}\" as {name} does";
    }

    /// <summary>A short name for summaries, e.g. <c>Istio 1.9+ TEXT</c> or <c>custom TEXT</c>.</summary>
    public string Name { get; }

    /// <summary>The Envoy format string this parser was derived from.</summary>
    public string Format { get; }

    /// <summary>The literal every line starts with (may be empty).</summary>
    public string Leading => _literals[0];

    /// <summary>How many fields (command operators) a line has.</summary>
    public int FieldCount => _fields.Length;

    /// <summary>
    /// Derives the parser for <paramref name="format"/> (a trailing newline and surrounding blanks are ignored, as lines
    /// are read without them).
    /// </summary>
    /// <exception cref="AccessLogFormatException">Bad syntax, adjacent operators, or required fields missing (listed).</exception>
    public static TextLogFormat Compile(string name, string format)
    {
        IReadOnlyList<EnvoyFormatSegment> segments;
        try
        {
            segments = EnvoyFormatString.Parse(format.Trim());
        }
        catch (FormatException e)
        {
            throw new AccessLogFormatException(e.Message);
        }

        var literals = new List<string>();
        var fields = new List<AccessLogField>();
        var names = new List<string>();
        var operators = new List<EnvoyCommandOperator>();
        string pending = string.Empty;
        foreach (var segment in segments)
        {
            if (segment.Literal is { } literal)
            {
                pending += literal;
                continue;
            }

            var op = segment.Operator!;
            if (operators.Count > 0 && pending.Length == 0)
            {
                throw new AccessLogFormatException(
                    $"{operators[^1]} and {op} have nothing between them: LazyMesh cannot tell where one ends (in \"{format}\")");
            }

            literals.Add(pending);
            pending = string.Empty;
            operators.Add(op);
            fields.Add(AccessLogFields.Of(op));
            names.Add(DisplayName(op));
        }

        literals.Add(pending);
        if (operators.Count == 0)
        {
            throw new AccessLogFormatException($"the format has no command operators (%NAME%): \"{format}\"");
        }

        var missing = AccessLogFields.Missing(fields);
        if (missing.Count > 0)
        {
            throw new AccessLogFormatException(
                $"the access-log format lacks what LazyMesh needs to attribute calls: add {string.Join(", ", missing)}", missing);
        }

        var quoted = new bool[fields.Count];
        for (int i = 0; i < quoted.Length; i++)
        {
            quoted[i] = literals[i].EndsWith('"') && literals[i + 1].StartsWith('"');
        }

        return new TextLogFormat(name, format, [.. literals], [.. fields], quoted, [.. names]);
    }

    /// <summary>
    /// Parses one line (already trimmed). <see cref="AccessLogLineKind.NotAccessLog"/> when the line does not even start
    /// like this format; <paramref name="progress"/> is how many fields matched before a problem, so that a caller trying
    /// several formats reports the one that came closest.
    /// </summary>
    public AccessLogLineKind Parse(ReadOnlySpan<char> line, out AccessEvent accessEvent, out string? error, out int progress) =>
        Parse(line, out accessEvent, out error, out progress, allowMasks: true);

    /// <summary>As the public overload; <paramref name="allowMasks"/> false forces the scalar search (tests compare both).</summary>
    [SkipLocalsInit]
    internal AccessLogLineKind Parse(ReadOnlySpan<char> line, out AccessEvent accessEvent, out string? error, out int progress, bool allowMasks)
    {
        accessEvent = default;
        error = null;
        progress = 0;
        string leading = _literals[0];
        if (!line.StartsWith(leading, StringComparison.Ordinal))
        {
            error = _notThisFormat;
            return AccessLogLineKind.NotAccessLog;
        }

        bool useMasks = allowMasks && line.Length <= TextLineMasks.MaxChars;
        Span<ulong> masks = stackalloc ulong[2 * MaskWords];
        int words = useMasks ? TextLineMasks.Words(line.Length) : 0;
        var spaces = masks[..words];
        var quotes = masks.Slice(MaskWords, words);
        if (useMasks)
        {
            TextLineMasks.Build(line, spaces, quotes);
        }

        ReadOnlySpan<char> cluster = default, authority = default, local = default, localHost = default, localPort = default;
        ReadOnlySpan<char> remote = default, start = default, method = default, protocol = default, flags = default, sni = default, route = default;
        int pos = leading.Length;
        int n = _fields.Length;
        for (int i = 0; i < n; i++)
        {
            string literal = _literals[i + 1];
            int end;
            if (literal.Length == 0)
            {
                // The last field, with nothing after it: the rest of the line, one token unless quoted.
                end = line.Length;
                if (!_quoted[i] && line[pos..].IndexOf(' ') >= 0)
                {
                    error = _extra;
                    return AccessLogLineKind.Malformed;
                }
            }
            else if (_quoted[i])
            {
                end = FindClosing(line, quotes, useMasks, pos, literal, last: i == n - 1);
                if (end < 0)
                {
                    // A line cut right after this field's closing quote lacks the next field, not a quote.
                    var closing = literal.AsSpan().TrimEnd(' ');
                    error = i + 1 < n && line.Length - closing.Length > pos && line.EndsWith(closing, StringComparison.Ordinal)
                        ? _endsBefore[i]
                        : _unterminated[i];
                    return AccessLogLineKind.Malformed;
                }
            }
            else
            {
                end = Next(line, spaces, quotes, useMasks, pos, literal[0]);
                if (end < 0)
                {
                    error = literal[0] == ' ' ? _endsBefore[i] : _badSeparator[i];
                    return AccessLogLineKind.Malformed;
                }

                // Next found the literal's first character; a one-character literal (a space, usually) is then whole.
                if (literal.Length > 1 && !At(line, end, literal))
                {
                    error = _badSeparator[i];
                    return AccessLogLineKind.Malformed;
                }
            }

            var value = line[pos..end];
            switch (_fields[i])
            {
                case AccessLogField.Number:
                    if (!IsNumberOrAbsent(value))
                    {
                        error = _notNumber[i];
                        return AccessLogLineKind.Malformed;
                    }

                    break;
                case AccessLogField.UpstreamCluster:
                    cluster = value;
                    break;
                case AccessLogField.Authority:
                    authority = value;
                    break;
                case AccessLogField.DownstreamLocalAddress:
                    local = value;
                    break;
                case AccessLogField.DownstreamLocalHost:
                    localHost = value;
                    break;
                case AccessLogField.DownstreamLocalPort:
                    localPort = value;
                    break;
                case AccessLogField.DownstreamRemoteAddress:
                    remote = value;
                    break;
                case AccessLogField.StartTime:
                    start = value;
                    break;
                case AccessLogField.Method:
                    method = value;
                    break;
                case AccessLogField.Protocol:
                    protocol = value;
                    break;
                case AccessLogField.ResponseFlags:
                    flags = value;
                    break;
                case AccessLogField.RequestedServerName:
                    sni = value;
                    break;
                case AccessLogField.RouteName:
                    route = value;
                    break;
            }

            pos = end + literal.Length;
            progress = i + 1;
        }

        if (pos != line.Length)
        {
            error = _extra;
            return AccessLogLineKind.Malformed;
        }

        int destinationPort;
        ReadOnlySpan<char> destinationHost;
        if (!local.IsEmpty)
        {
            SocketAddressText.Split(local, out destinationHost, out destinationPort);
        }
        else
        {
            destinationHost = Present(localHost);
            destinationPort = int.TryParse(localPort, out int port) && port is > 0 and <= 65535 ? port : 0;
        }

        SocketAddressText.Split(remote, out var sourceHost, out _);
        accessEvent.Protocol = (_hasProtocol ? IsAbsent(protocol) : IsAbsent(method)) ? AccessProtocol.Tcp : AccessProtocol.Http;
        accessEvent.UpstreamCluster = Present(cluster);
        accessEvent.Authority = Present(authority);
        accessEvent.SourceAddress = sourceHost;
        accessEvent.OriginalDestinationAddress = destinationHost;
        accessEvent.OriginalDestinationPort = destinationPort;
        accessEvent.StartTimeUnixMs = AccessLogTime.ParseOrZero(start);
        accessEvent.ResponseFlags = AccessResponseFlagsText.Parse(flags);
        accessEvent.RequestedServerName = Present(sni);
        accessEvent.RouteName = Present(route);
        return AccessLogLineKind.Parsed;
    }

    public override string ToString() => Name;

    /// <summary>Where a quoted field ends: the first <paramref name="literal"/> followed by what the next field starts with.</summary>
    private static int FindClosing(ReadOnlySpan<char> line, ReadOnlySpan<ulong> quotes, bool useMasks, int pos, string literal, bool last)
    {
        if (last)
        {
            int end = line.Length - literal.Length;
            return end >= pos && line.EndsWith(literal, StringComparison.Ordinal) ? end : -1;
        }

        bool nextQuoted = literal[^1] == '"';
        int from = pos;
        while (true)
        {
            int p = Next(line, default, quotes, useMasks, from, '"');
            if (p < 0)
            {
                return -1;
            }

            int after = p + literal.Length;
            if (At(line, p, literal))
            {
                if (nextQuoted || (after < line.Length && line[after] != '"'))
                {
                    return p;
                }

                // '" "' where an unquoted field should follow: the boundary to a quoted field this format does not
                // have here. Taking a later quote would swallow that field, so the line is not of this format.
                return -1;
            }

            from = p + 1;
        }
    }

    /// <summary>Whether <paramref name="literal"/> is at <paramref name="at"/>: short literals (<c>" "</c>) compared inline.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool At(ReadOnlySpan<char> line, int at, string literal)
    {
        if (literal.Length > 8)
        {
            return line[at..].StartsWith(literal, StringComparison.Ordinal);
        }

        if (line.Length - at < literal.Length)
        {
            return false;
        }

        for (int k = 0; k < literal.Length; k++)
        {
            if (line[at + k] != literal[k])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first <paramref name="c"/> at or after <paramref name="from"/>, with the bitmaps for spaces and quotes.</summary>
    private static int Next(ReadOnlySpan<char> line, ReadOnlySpan<ulong> spaces, ReadOnlySpan<ulong> quotes, bool useMasks, int from, char c)
    {
        if (from >= line.Length)
        {
            return -1;
        }

        if (useMasks && c == ' ')
        {
            return TextLineMasks.Next(spaces, from);
        }

        if (useMasks && c == '"')
        {
            return TextLineMasks.Next(quotes, from);
        }

        int i = line[from..].IndexOf(c);
        return i < 0 ? -1 : from + i;
    }

    private static bool IsNumberOrAbsent(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        if (IsDash(value))
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

    private static bool IsAbsent(ReadOnlySpan<char> value) => value.IsEmpty || IsDash(value);

    private static ReadOnlySpan<char> Present(ReadOnlySpan<char> value) => IsDash(value) ? default : value;

    /// <summary>Envoy's "absent" (<c>-</c>), compared inline rather than through a string comparison.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsDash(ReadOnlySpan<char> value) => value.Length == 1 && value[0] == '-';

    private static string DisplayName(EnvoyCommandOperator op) => op.Name switch
    {
        "REQ" or "RESP" when op.Argument is { } header => header.Split('?')[0].TrimStart(':').ToUpperInvariant(),
        _ when op.Argument is not null => $"{op.Name}({op.Argument})",
        _ => op.Name,
    };
}
