using System.Globalization;

namespace LazyMesh.AccessLogs;

/// <summary>
/// Recognises and removes the prefixes log collectors add in front of Envoy's lines (<see cref="LinePrefixKind"/>),
/// keeping the pod the line came from when the prefix names it. CRI partial lines (<c>P</c>) are joined with the
/// lines that complete them. Not thread-safe (one per reader); spans returned may point into an internal buffer, valid
/// until the next call.
/// </summary>
public sealed class LinePrefixStripper
{
    private const string DockerStart = "{\"log\":\"";
    private const int MaxPendingChars = 1 << 20;

    private char[] _buffer = new char[1024];
    private char[] _pending = new char[1024];
    private int _pendingLength;

    /// <summary>
    /// When the last <see cref="Strip"/> removed a time after a <c>kubectl logs --prefix</c> or stern prefix, where that
    /// time starts in the line (a format that itself begins with a time may need it back); else -1.
    /// </summary>
    public int TimeAfterPrefixAt { get; private set; } = -1;

    /// <summary>
    /// Strips the prefix of <paramref name="line"/>. Returns the outermost prefix found; <paramref name="partial"/> is true
    /// for a CRI partial line, whose content is kept to be joined with the next one (nothing to parse yet).
    /// </summary>
    public LinePrefixKind Strip(ReadOnlySpan<char> line, out ReadOnlySpan<char> rest, out ReadOnlySpan<char> originPod, out ReadOnlySpan<char> originNamespace, out bool partial)
    {
        originPod = default;
        originNamespace = default;
        partial = false;
        rest = line;
        TimeAfterPrefixAt = -1;
        if (line.IsEmpty)
        {
            return LinePrefixKind.None;
        }

        var kind = StripOne(ref rest, ref originPod, ref originNamespace, ref partial);
        if (kind is LinePrefixKind.KubectlPrefix or LinePrefixKind.Stern && !partial)
        {
            // kubectl logs --prefix --timestamps: the time follows the pod.
            var inner = rest;
            if (TryTimestamp(ref inner))
            {
                TimeAfterPrefixAt = line.Length - rest.Length;
                rest = inner;
            }
            else if (inner.StartsWith("{\"log\"", StringComparison.Ordinal) && StripOne(ref inner, ref originPod, ref originNamespace, ref partial) == LinePrefixKind.DockerJson)
            {
                rest = inner;
            }
        }

        return kind;
    }

    private LinePrefixKind StripOne(ref ReadOnlySpan<char> line, ref ReadOnlySpan<char> originPod, ref ReadOnlySpan<char> originNamespace, ref bool partial)
    {
        char first = line[0];
        if (first == '[')
        {
            return TryKubectlPrefix(ref line, ref originPod) ? LinePrefixKind.KubectlPrefix : LinePrefixKind.None;
        }

        if (first == '{')
        {
            return line.StartsWith(DockerStart, StringComparison.Ordinal) && TryDocker(ref line) ? LinePrefixKind.DockerJson : LinePrefixKind.None;
        }

        if (char.IsAsciiDigit(first))
        {
            var afterTime = line;
            if (!TryTimestamp(ref afterTime))
            {
                return LinePrefixKind.None;
            }

            if (TryCriStream(ref afterTime, out bool isPartial))
            {
                line = Join(afterTime, isPartial, out partial);
                return LinePrefixKind.Cri;
            }

            line = afterTime;
            return LinePrefixKind.Timestamp;
        }

        return char.IsAsciiLetterLower(first) && TryStern(ref line, ref originPod, ref originNamespace) ? LinePrefixKind.Stern : LinePrefixKind.None;
    }

    /// <summary><c>[pod/NAME/CONTAINER] </c>.</summary>
    private static bool TryKubectlPrefix(ref ReadOnlySpan<char> line, ref ReadOnlySpan<char> originPod)
    {
        if (!line.StartsWith("[pod/", StringComparison.Ordinal))
        {
            return false;
        }

        int close = line.IndexOf("] ");
        if (close < 0)
        {
            return false;
        }

        var inside = line[5..close];
        int slash = inside.IndexOf('/');
        if (slash <= 0 || inside.IndexOf(' ') >= 0)
        {
            return false;
        }

        originPod = inside[..slash];
        line = line[(close + 2)..];
        return true;
    }

    /// <summary>An RFC 3339 time (<c>2022-07-22T12:24:13.9Z</c>, <c>...+02:00</c>) and one space.</summary>
    private static bool TryTimestamp(ref ReadOnlySpan<char> line)
    {
        int space = line.IndexOf(' ');
        if (space < 20 || space > 40)
        {
            return false;
        }

        var time = line[..space];
        if (time[4] != '-' || time[7] != '-' || time[10] != 'T' || !AccessLogTime.TryParseUnixMs(time, out _))
        {
            return false;
        }

        line = line[(space + 1)..];
        return true;
    }

    /// <summary>After the CRI time: <c>stdout F </c> / <c>stderr P </c>.</summary>
    private static bool TryCriStream(ref ReadOnlySpan<char> line, out bool isPartial)
    {
        isPartial = false;
        if (line.Length < 9 || !(line.StartsWith("stdout ", StringComparison.Ordinal) || line.StartsWith("stderr ", StringComparison.Ordinal)))
        {
            return false;
        }

        char tag = line[7];
        if (tag is not ('F' or 'P') || (line.Length > 8 && line[8] != ' '))
        {
            return false;
        }

        isPartial = tag == 'P';
        line = line.Length > 9 ? line[9..] : default;
        return true;
    }

    /// <summary>Joins CRI partial lines: a <c>P</c> chunk is kept, an <c>F</c> chunk completes what was kept.</summary>
    private ReadOnlySpan<char> Join(ReadOnlySpan<char> chunk, bool isPartial, out bool partial)
    {
        partial = isPartial;
        if (!isPartial && _pendingLength == 0)
        {
            return chunk;
        }

        int needed = _pendingLength + chunk.Length;
        if (needed > MaxPendingChars)
        {
            // A runaway partial line: drop what was kept rather than grow without bound.
            _pendingLength = 0;
            return isPartial ? default : chunk;
        }

        if (needed > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(needed, _pending.Length * 2));
        }

        chunk.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength = needed;
        if (isPartial)
        {
            return default;
        }

        var joined = _pending.AsSpan(0, _pendingLength);
        _pendingLength = 0;
        return joined;
    }

    /// <summary>Docker json-file: the <c>log</c> string, unescaped, without its trailing newline.</summary>
    private bool TryDocker(ref ReadOnlySpan<char> line)
    {
        var content = line[DockerStart.Length..];
        if (_buffer.Length < content.Length)
        {
            _buffer = new char[Math.Max(content.Length, _buffer.Length * 2)];
        }

        int used = 0;
        int i = 0;
        while (i < content.Length)
        {
            char c = content[i];
            if (c == '"')
            {
                var value = _buffer.AsSpan(0, used);
                line = value.TrimEnd("\r\n");
                return true;
            }

            if (c != '\\')
            {
                _buffer[used++] = c;
                i++;
                continue;
            }

            if (i + 1 >= content.Length)
            {
                return false;
            }

            char escaped = content[i + 1];
            i += 2;
            switch (escaped)
            {
                case 'n':
                    _buffer[used++] = '\n';
                    break;
                case 't':
                    _buffer[used++] = '\t';
                    break;
                case 'r':
                    _buffer[used++] = '\r';
                    break;
                case 'u':
                    if (i + 4 > content.Length || !ushort.TryParse(content.Slice(i, 4), NumberStyles.AllowHexSpecifier, null, out ushort code))
                    {
                        return false;
                    }

                    _buffer[used++] = (char)code;
                    i += 4;
                    break;
                default:
                    _buffer[used++] = escaped;
                    break;
            }
        }

        return false;
    }

    /// <summary>stern: two or three DNS-label tokens (namespace, pod, container) before a line that starts with '[' or '{'.</summary>
    private static bool TryStern(ref ReadOnlySpan<char> line, ref ReadOnlySpan<char> originPod, ref ReadOnlySpan<char> originNamespace)
    {
        int start = line.IndexOfAny('[', '{');
        if (start < 4 || line[start - 1] != ' ')
        {
            return false;
        }

        var head = line[..(start - 1)];
        Span<Range> tokens = stackalloc Range[4];
        int count = head.Split(tokens, ' ');
        if (count is < 2 or > 3)
        {
            return false;
        }

        for (int t = 0; t < count; t++)
        {
            if (!IsDnsName(head[tokens[t]]))
            {
                return false;
            }
        }

        originPod = head[tokens[count - 2]];
        originNamespace = count == 3 ? head[tokens[0]] : default;
        line = line[start..];
        return true;
    }

    private static bool IsDnsName(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty || token.Length > 253)
        {
            return false;
        }

        foreach (char c in token)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
