using System.Buffers;
using System.IO.Compression;
using System.Text;

namespace LazyMesh.AccessLogs;

/// <summary>
/// Streams access log files (or <c>-</c> for stdin, or any <see cref="Stream"/>) line by line with pooled buffers and
/// no per-line allocation, decodes each line with an <see cref="AccessLogLineParser"/> and hands the events to an
/// <see cref="IAccessEventSink"/>. Lines end at <c>\n</c> or <c>\r\n</c>; a final line without terminator counts;
/// a UTF-8 BOM is skipped; invalid UTF-8 becomes U+FFFD. Lines of <see cref="MaxLineBytes"/> bytes or more are
/// reported as too long and skipped, so memory stays bounded whatever the input. Gzip files (<c>.gz</c> or gzip magic)
/// are decompressed transparently. An instance is reusable but not thread-safe.
/// </summary>
public sealed class AccessLogReader
{
    public const int DefaultMaxLineBytes = 1 << 20;
    public const int DefaultInitialBufferBytes = 64 * 1024;

    /// <summary>The source name <see cref="ReadFile"/> reports for <c>-</c>.</summary>
    public const string StandardInputName = "<stdin>";

    private readonly AccessLogLineParser _parser;
    private readonly LinePrefixStripper _prefixes = new();
    private readonly int _initialBufferBytes;
    private readonly string _tooLongReason;

    public AccessLogReader(int maxLineBytes = DefaultMaxLineBytes, int initialBufferBytes = DefaultInitialBufferBytes, AccessLogFormatSet? formats = null)
    {
        _parser = new AccessLogLineParser(formats);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(initialBufferBytes, 16);
        MaxLineBytes = maxLineBytes;
        _initialBufferBytes = Math.Min(initialBufferBytes, maxLineBytes);
        _tooLongReason = $"line of {maxLineBytes} bytes or more, skipped";
    }

    /// <summary>Lines of this many bytes (UTF-8, without terminator) or more are skipped as too long.</summary>
    public int MaxLineBytes { get; }

    /// <summary>Opens stdin for the path <c>-</c>; replaceable for tests.</summary>
    public Func<Stream> OpenStandardInput { get; init; } = Console.OpenStandardInput;

    /// <summary>Reads, parses and forwards every entry of <paramref name="path"/> (<c>-</c> = stdin, <c>.gz</c> decompressed).</summary>
    public AccessLogReadStats ReadFile(string path, IAccessEventSink sink, AccessLogReadStats? stats = null)
    {
        using var stream = Open(path);
        return Read(stream, path == "-" ? StandardInputName : path, sink, stats);
    }

    /// <summary>
    /// The pod a file belongs to when its path says so: kubelet's <c>/var/log/pods/NAMESPACE_POD_UID/CONTAINER/N.log</c>
    /// and <c>/var/log/containers/POD_NAMESPACE_CONTAINER-ID.log</c>.
    /// </summary>
    public static (string Namespace, string Pod)? OriginOfPath(string path)
    {
        var parts = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i + 2 < parts.Length; i++)
        {
            if (parts[i] == "pods" && i > 0 && parts[i - 1] == "log")
            {
                var id = parts[i + 1].Split('_');
                if (id.Length == 3 && id[0].Length > 0 && id[1].Length > 0)
                {
                    return (id[0], id[1]);
                }
            }
        }

        if (parts.Length >= 2 && parts[^2] == "containers")
        {
            var id = Path.GetFileNameWithoutExtension(parts[^1]).Split('_');
            if (id.Length == 3 && id[0].Length > 0 && id[1].Length > 0)
            {
                return (id[1], id[0]);
            }
        }

        return null;
    }

    /// <summary>Reads, parses and forwards every entry of <paramref name="stream"/>; problems are counted in the returned stats.</summary>
    public AccessLogReadStats Read(Stream stream, string sourceName, IAccessEventSink sink, AccessLogReadStats? stats = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var counters = stats ?? new AccessLogReadStats();
        var parser = _parser;
        var prefixes = _prefixes;
        var origin = OriginOfPath(sourceName);
        bool wholeFirst = parser.StartsWithField;
        ForEachLine(
            stream,
            (line, lineNumber) =>
            {
                // When a format begins with a field (a custom one starting with %START_TIME%), its lines' start looks like
                // a prefix (kubectl logs --timestamps): lines are tried whole first, and only those that do not parse whole
                // are stripped and tried again, so each line of such a format is parsed once. A line that reads both ways
                // (the prefix's extra token swallowed by a field that may hold spaces) is then read whole.
                LinePrefixKind prefix = LinePrefixKind.None;
                ReadOnlySpan<char> originPod = default, originNamespace = default;
                AccessEvent accessEvent = default;
                string? error = null;
                var kind = wholeFirst ? parser.Parse(line, out accessEvent, out error) : AccessLogLineKind.Empty;
                if (!wholeFirst || kind != AccessLogLineKind.Parsed)
                {
                    prefix = prefixes.Strip(line, out var rest, out originPod, out originNamespace, out bool partial);
                    if (partial)
                    {
                        // A CRI partial line: parsed when the line that completes it arrives.
                        counters.RecordPrefix(prefix);
                        counters.Record(sourceName, lineNumber, AccessLogLineKind.Empty, null);
                        return;
                    }

                    // Without a prefix the line is the one parsed above (when it was).
                    if (!wholeFirst || prefix != LinePrefixKind.None)
                    {
                        kind = parser.Parse(rest, out accessEvent, out error);
                    }

                    // [pod/NAME/CONTAINER] before a line of such a format: the time after the prefix is the format's own.
                    if (wholeFirst && kind != AccessLogLineKind.Parsed && prefixes.TimeAfterPrefixAt >= 0
                        && parser.Parse(line[prefixes.TimeAfterPrefixAt..], out var withTime, out string? withTimeError) == AccessLogLineKind.Parsed)
                    {
                        kind = AccessLogLineKind.Parsed;
                        accessEvent = withTime;
                        error = withTimeError;
                    }

                    if (kind != AccessLogLineKind.Parsed && prefix != LinePrefixKind.None && !wholeFirst
                        && parser.Parse(line, out var whole, out string? wholeError) == AccessLogLineKind.Parsed)
                    {
                        // What looked like a prefix is the format's own start (a custom JSON format whose first key is "log").
                        prefix = LinePrefixKind.None;
                        originPod = default;
                        originNamespace = default;
                        kind = AccessLogLineKind.Parsed;
                        accessEvent = whole;
                        error = wholeError;
                    }
                }

                counters.RecordPrefix(prefix);
                if (kind == AccessLogLineKind.Parsed)
                {
                    counters.RecordFormat(parser.LastFormat);
                    if (!originPod.IsEmpty)
                    {
                        accessEvent.OriginPod = originPod;
                        accessEvent.OriginNamespace = originNamespace;
                    }
                    else if (origin is { } file)
                    {
                        accessEvent.OriginPod = file.Pod;
                        accessEvent.OriginNamespace = file.Namespace;
                    }

                    sink.OnEvent(in accessEvent);
                }

                counters.Record(sourceName, lineNumber, kind, error);
            },
            lineNumber => counters.Record(sourceName, lineNumber, AccessLogLineKind.TooLong, _tooLongReason));
        return counters;
    }

    /// <summary>Opens <paramref name="path"/> for reading: <c>-</c> = stdin; gzip (by extension or magic bytes) decompressed.</summary>
    public Stream Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path == "-")
        {
            return OpenStandardInput();
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        try
        {
            if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || HasGzipMagic(file))
            {
                return new GZipStream(file, CompressionMode.Decompress, leaveOpen: false);
            }

            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The raw line loop: calls <paramref name="onLine"/> for every line (decoded UTF-8, terminator and trailing
    /// <c>\r</c> removed) and <paramref name="onLineTooLong"/> with the number of each line skipped as too long.
    /// Returns the number of lines. Does not close <paramref name="stream"/>.
    /// </summary>
    public long ForEachLine(Stream stream, AccessLogLineCallback onLine, Action<long>? onLineTooLong = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(onLine);

        int capacity = _initialBufferBytes;
        byte[] bytes = ArrayPool<byte>.Shared.Rent(capacity);
        char[] chars = ArrayPool<char>.Shared.Rent(capacity);
        int start = 0;
        int end = 0;
        int scan = 0;
        long lineNumber = 0;
        bool discarding = false;
        bool eof = false;
        try
        {
            while (true)
            {
                int newline = bytes.AsSpan(scan, end - scan).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    newline += scan;
                    if (discarding)
                    {
                        discarding = false;
                    }
                    else
                    {
                        lineNumber++;
                        Emit(bytes.AsSpan(start, newline - start), chars, lineNumber, onLine);
                    }

                    start = newline + 1;
                    scan = start;
                    continue;
                }

                if (eof)
                {
                    if (!discarding && end > start)
                    {
                        lineNumber++;
                        Emit(bytes.AsSpan(start, end - start), chars, lineNumber, onLine);
                    }

                    return lineNumber;
                }

                if (discarding)
                {
                    start = end = 0;
                }
                else if (start > 0)
                {
                    bytes.AsSpan(start, end - start).CopyTo(bytes);
                    end -= start;
                    start = 0;
                }

                if (end == capacity)
                {
                    if (capacity < MaxLineBytes)
                    {
                        capacity = (int)Math.Min((long)capacity * 2, MaxLineBytes);
                        bytes = Grow(bytes, end, capacity);
                        ArrayPool<char>.Shared.Return(chars);
                        chars = ArrayPool<char>.Shared.Rent(capacity);
                    }
                    else
                    {
                        lineNumber++;
                        onLineTooLong?.Invoke(lineNumber);
                        discarding = true;
                        end = 0;
                    }
                }

                scan = end;
                int read = stream.Read(bytes.AsSpan(end, capacity - end));
                if (read == 0)
                {
                    eof = true;
                }
                else
                {
                    end += read;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static void Emit(ReadOnlySpan<byte> line, char[] chars, long lineNumber, AccessLogLineCallback onLine)
    {
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (lineNumber == 1 && line.StartsWith("\uFEFF"u8))
        {
            line = line[3..];
        }

        int length = Encoding.UTF8.GetChars(line, chars);
        onLine(chars.AsSpan(0, length), lineNumber);
    }

    private static byte[] Grow(byte[] bytes, int used, int capacity)
    {
        byte[] grown = ArrayPool<byte>.Shared.Rent(capacity);
        bytes.AsSpan(0, used).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(bytes);
        return grown;
    }

    private static bool HasGzipMagic(FileStream file)
    {
        if (!file.CanSeek)
        {
            return false;
        }

        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
}
