using System.Globalization;
using System.Runtime.CompilerServices;

namespace LazyMesh.AccessLogs;

/// <summary>
/// Parses one line of Istio's JSON access log encoding (one flat object per line, keys of Istio's
/// <c>EnvoyJSONLogFormatIstio</c>: <c>start_time</c>, <c>method</c>, <c>protocol</c>, <c>authority</c>,
/// <c>upstream_cluster</c>, <c>downstream_local_address</c>, <c>downstream_remote_address</c>, ...) into an
/// <see cref="AccessEvent"/>. Keys may come in any order; unknown keys (including nested objects and arrays) are
/// skipped; values may be strings, numbers, <c>null</c> or <c>"-"</c> (absent).
/// </summary>
/// <remarks>
/// A small reusable instance, not thread-safe. Strings without escapes are spans into the line; strings with escapes
/// are decoded into a per-parser buffer, so <b>the event's spans are valid only until the next call</b> on the same
/// parser (and as long as the line itself). Allocates nothing on success once the buffer has grown to the longest line.
/// </remarks>
public sealed class IstioJsonLogParser
{
    private const string NotObjectError = "not a JSON access log line: it does not start with '{'";
    private const string NoIstioKeysError =
        "JSON object without Istio's access-log keys (upstream_cluster, downstream_remote_address, downstream_local_address, authority): "
        + "a custom JSON format? pass it with --log-format";

    private const string TruncatedError = "line ends inside the JSON object (truncated line?)";

    /// <summary>How many key positions remember the key last seen there.</summary>
    private const int PredictedKeys = 64;

    private const int MaskWords = TextLineMasks.MaxChars / 64;

    private readonly JsonLogFormat _format;

    // Envoy prints a format's keys in the same order on every line: the key seen at each position on the last line is
    // compared first, and the format's dictionary (hashing the key) is only asked when it differs.
    private readonly string?[] _keyAt = new string?[PredictedKeys];
    private readonly AccessLogField[] _fieldAt = new AccessLogField[PredictedKeys];
    private char[] _buffer = new char[512];
    private int _used;

    /// <summary>A parser for <paramref name="format"/> (default: Istio's JSON keys, every version).</summary>
    public IstioJsonLogParser(JsonLogFormat? format = null)
    {
        _format = format ?? JsonLogFormat.Istio;
    }

    /// <summary>The format this parser reads.</summary>
    public JsonLogFormat Format => _format;

    /// <summary>For <see cref="JsonLogFormat.Istio"/>: the version family of the last parsed line.</summary>
    public IstioJsonFamily LastFamily { get; private set; }

    /// <summary>
    /// Parses <paramref name="line"/>: <see cref="AccessLogLineKind.Parsed"/>, <see cref="AccessLogLineKind.Empty"/>,
    /// <see cref="AccessLogLineKind.NotAccessLog"/> (not an object, or an object with none of Istio's keys, such as
    /// istio-agent's own JSON log) or <see cref="AccessLogLineKind.Malformed"/> (invalid or truncated JSON).
    /// </summary>
    [SkipLocalsInit]
    public AccessLogLineKind Parse(ReadOnlySpan<char> line, out AccessEvent accessEvent, out string? error)
    {
        accessEvent = default;
        error = null;
        line = line.Trim();
        if (line.IsEmpty)
        {
            return AccessLogLineKind.Empty;
        }

        if (line[0] != '{')
        {
            error = NotObjectError;
            return AccessLogLineKind.NotAccessLog;
        }

        // Decoded strings are never longer than their escaped form, so one line-sized buffer always suffices.
        if (_buffer.Length < line.Length)
        {
            _buffer = new char[Math.Max(line.Length, _buffer.Length * 2)];
        }

        _used = 0;

        // Where the quotes and backslashes are, in one vectorized pass: each string then ends at a bit scan.
        bool useMasks = line.Length <= TextLineMasks.MaxChars;
        Span<ulong> masks = stackalloc ulong[2 * MaskWords];
        int words = useMasks ? TextLineMasks.Words(line.Length) : 0;
        var quotes = masks[..words];
        var backslashes = masks.Slice(MaskWords, words);
        if (useMasks)
        {
            TextLineMasks.Build(line, '"', '\\', quotes, backslashes);
        }

        ReadOnlySpan<char> startTime = default, method = default, protocol = default, authority = default;
        ReadOnlySpan<char> cluster = default, downstreamLocal = default, downstreamRemote = default;
        ReadOnlySpan<char> flags = default, sni = default, route = default;
        uint seen = 0;
        bool otherLogKey = false;
        int keyCount = 0;

        int pos = SkipWhitespace(line, 1);
        if (pos < line.Length && line[pos] == '}')
        {
            pos++;
        }
        else
        {
            while (true)
            {
                pos = SkipWhitespace(line, pos);
                if (pos >= line.Length)
                {
                    return Fail(TruncatedError, out error);
                }

                if (line[pos] != '"')
                {
                    return Fail($"expected a JSON key at column {pos + 1}", out error);
                }

                if (!TryReadString(line, quotes, backslashes, useMasks, ref pos, out var key))
                {
                    return Fail(TruncatedError, out error);
                }

                pos = SkipWhitespace(line, pos);
                if (pos >= line.Length)
                {
                    return Fail(TruncatedError, out error);
                }

                if (line[pos] != ':')
                {
                    return Fail($"expected ':' at column {pos + 1}", out error);
                }

                pos = SkipWhitespace(line, pos + 1);
                if (pos >= line.Length)
                {
                    return Fail(TruncatedError, out error);
                }

                ReadOnlySpan<char> value = default;
                if (line[pos] == '"')
                {
                    if (!TryReadString(line, quotes, backslashes, useMasks, ref pos, out value))
                    {
                        return Fail(TruncatedError, out error);
                    }

                    if (value is "-")
                    {
                        value = default;
                    }
                }
                else if (!TrySkipValue(line, ref pos))
                {
                    return Fail(pos >= line.Length ? TruncatedError : $"invalid JSON value at column {pos + 1}", out error);
                }

                if (LookUp(key, keyCount++, out var field))
                {
                    seen |= 1u << (int)field;
                    switch (field)
                    {
                        case AccessLogField.StartTime:
                            startTime = value;
                            break;
                        case AccessLogField.Method:
                            method = value;
                            break;
                        case AccessLogField.Protocol:
                            protocol = value;
                            break;
                        case AccessLogField.Authority:
                            authority = value;
                            break;
                        case AccessLogField.UpstreamCluster:
                            cluster = value;
                            break;
                        case AccessLogField.DownstreamLocalAddress:
                            downstreamLocal = value;
                            break;
                        case AccessLogField.DownstreamRemoteAddress:
                            downstreamRemote = value;
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
                }
                else if (key is "level" or "msg" or "message")
                {
                    otherLogKey = true;
                }

                pos = SkipWhitespace(line, pos);
                if (pos >= line.Length)
                {
                    return Fail(TruncatedError, out error);
                }

                if (line[pos] == ',')
                {
                    pos++;
                    continue;
                }

                if (line[pos] == '}')
                {
                    pos++;
                    break;
                }

                return Fail($"expected ',' or '}}' at column {pos + 1}", out error);
            }
        }

        if (SkipWhitespace(line, pos) != line.Length)
        {
            return Fail($"unexpected text after the JSON object at column {pos + 1}", out error);
        }

        if (seen == 0)
        {
            // istio-agent's own JSON log ({"level":..,"msg":..}), an empty object, or, for a custom format, another format's line.
            bool agentLog = otherLogKey || keyCount == 0 || !_format.IsIstio;
            error = NoIstioKeysError;
            return agentLog ? AccessLogLineKind.NotAccessLog : AccessLogLineKind.Malformed;
        }

        if (!JsonLogFormat.HasRequired(seen))
        {
            return Fail(_format.MissingKeysError, out error);
        }

        if (_format.IsIstio)
        {
            LastFamily = JsonLogFormat.FamilyOf(seen);
        }

        // A start time Envoy was told to print some other way (%START_TIME(%s)%, a local format) is read when it can be,
        // and otherwise unknown (0): the entry itself is kept.
        long startMs = AccessLogTime.ParseOrZero(startTime);
        bool hasProtocol = (seen & (1u << (int)AccessLogField.Protocol)) != 0;

        SocketAddressText.Split(downstreamLocal, out var destinationHost, out int destinationPort);
        SocketAddressText.Split(downstreamRemote, out var sourceHost, out _);

        accessEvent.Protocol = (hasProtocol ? protocol.IsEmpty : method.IsEmpty) ? AccessProtocol.Tcp : AccessProtocol.Http;
        accessEvent.UpstreamCluster = cluster;
        accessEvent.Authority = authority;
        accessEvent.SourceAddress = sourceHost;
        accessEvent.OriginalDestinationAddress = destinationHost;
        accessEvent.OriginalDestinationPort = destinationPort;
        accessEvent.StartTimeUnixMs = startMs;
        accessEvent.ResponseFlags = AccessResponseFlagsText.Parse(flags);
        accessEvent.RequestedServerName = sni;
        accessEvent.RouteName = route;
        return AccessLogLineKind.Parsed;
    }

    /// <summary>The field of the <paramref name="index"/>-th key of a line: the key at that position on the last line, else the format's lookup.</summary>
    private bool LookUp(ReadOnlySpan<char> key, int index, out AccessLogField field)
    {
        if ((uint)index >= PredictedKeys)
        {
            return _format.TryGetField(key, out field);
        }

        if (_keyAt[index] is { } predicted && key.SequenceEqual(predicted))
        {
            field = _fieldAt[index];
            return true;
        }

        // Keys the format does not read are not remembered (that would mean allocating their string).
        bool known = _format.TryGetField(key, out string? stored, out field);
        _keyAt[index] = stored;
        _fieldAt[index] = field;
        return known;
    }

    private static AccessLogLineKind Fail(string message, out string? error)
    {
        error = message;
        return AccessLogLineKind.Malformed;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipWhitespace(ReadOnlySpan<char> line, int pos)
    {
        // Envoy prints no whitespace between tokens: the common case is one compare.
        if ((uint)pos < (uint)line.Length && line[pos] > ' ')
        {
            return pos;
        }

        while (pos < line.Length && line[pos] is ' ' or '\t' or '\r' or '\n')
        {
            pos++;
        }

        return pos;
    }

    /// <summary>Reads the string starting at the quote at <paramref name="pos"/>; false if it is not terminated.</summary>
    private bool TryReadString(
        ReadOnlySpan<char> line, scoped ReadOnlySpan<ulong> quotes, scoped ReadOnlySpan<ulong> backslashes, bool useMasks, scoped ref int pos, out ReadOnlySpan<char> value)
    {
        var content = line[(pos + 1)..];
        int special;
        if (useMasks)
        {
            // The first quote or backslash after the opening quote, from the line's bitmaps.
            int quote = TextLineMasks.Next(quotes, pos + 1);
            int backslash = TextLineMasks.Next(backslashes, pos + 1);
            int found = backslash >= 0 && (quote < 0 || backslash < quote) ? backslash : quote;
            if (found < 0)
            {
                value = default;
                return false;
            }

            special = found - (pos + 1);
        }
        else
        {
            // Keys and most values are short: scan the first characters by hand, then let a vectorized search take over.
            special = 0;
            int limit = Math.Min(content.Length, 24);
            while (special < limit && content[special] is not ('"' or '\\'))
            {
                special++;
            }

            if (special == limit)
            {
                int found = content[limit..].IndexOfAny('"', '\\');
                if (found < 0)
                {
                    value = default;
                    return false;
                }

                special = limit + found;
            }
        }

        if (content[special] == '"')
        {
            value = content[..special];
            pos += special + 2;
            return true;
        }

        // Escapes: decode into the buffer.
        int start = _used;
        var output = _buffer.AsSpan();
        content[..special].CopyTo(output[_used..]);
        _used += special;
        int i = special;
        while (i < content.Length)
        {
            char c = content[i];
            if (c == '"')
            {
                value = output[start.._used];
                pos += i + 2;
                return true;
            }

            if (c != '\\')
            {
                output[_used++] = c;
                i++;
                continue;
            }

            if (i + 1 >= content.Length)
            {
                break;
            }

            char escaped = content[i + 1];
            i += 2;
            switch (escaped)
            {
                case 'n':
                    output[_used++] = '\n';
                    break;
                case 't':
                    output[_used++] = '\t';
                    break;
                case 'r':
                    output[_used++] = '\r';
                    break;
                case 'b':
                    output[_used++] = '\b';
                    break;
                case 'f':
                    output[_used++] = '\f';
                    break;
                case 'u':
                    if (i + 4 > content.Length || !ushort.TryParse(content.Slice(i, 4), NumberStyles.AllowHexSpecifier, null, out ushort code))
                    {
                        value = default;
                        return false;
                    }

                    output[_used++] = (char)code;
                    i += 4;
                    break;
                default:
                    // \" \\ \/ and anything lenient.
                    output[_used++] = escaped;
                    break;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Skips a non-string value (number, literal, nested object or array).</summary>
    private static bool TrySkipValue(ReadOnlySpan<char> line, scoped ref int pos)
    {
        char first = line[pos];
        if (first is '{' or '[')
        {
            int depth = 0;
            while (pos < line.Length)
            {
                char c = line[pos];
                if (c == '"')
                {
                    pos++;
                    while (pos < line.Length && line[pos] != '"')
                    {
                        pos += line[pos] == '\\' ? 2 : 1;
                    }
                }
                else if (c is '{' or '[')
                {
                    depth++;
                }
                else if (c is '}' or ']' && --depth == 0)
                {
                    pos++;
                    return true;
                }

                pos++;
            }

            return false;
        }

        var rest = line[pos..];
        if (rest.StartsWith("null") || rest.StartsWith("true"))
        {
            pos += 4;
            return true;
        }

        if (rest.StartsWith("false"))
        {
            pos += 5;
            return true;
        }

        // A number: an optional minus, digits, then fraction / exponent characters. Validated loosely: Envoy prints integers.
        int start = pos;
        if (line[pos] == '-')
        {
            pos++;
        }

        int digitsStart = pos;
        while (pos < line.Length && char.IsAsciiDigit(line[pos]))
        {
            pos++;
        }

        if (pos == digitsStart)
        {
            pos = start;
            return false;
        }

        while (pos < line.Length && (char.IsAsciiDigit(line[pos]) || line[pos] is '.' or 'e' or 'E' or '+' or '-'))
        {
            pos++;
        }

        return true;
    }
}
