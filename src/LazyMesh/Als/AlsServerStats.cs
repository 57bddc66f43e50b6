namespace LazyMesh.Als;

/// <summary>ALS server counters; written with <see cref="Interlocked"/>, read without locks.</summary>
public sealed class AlsServerStats
{
    private readonly long[] _decodeErrors = new long[Enum.GetValues<AlsDecodeError>().Length];
    private long _streamsOpened;
    private long _streamsOpen;
    private long _streamsClosed;
    private long _messages;
    private long _httpEntries;
    private long _tcpEntries;
    private long _rejectedTooManyStreams;
    private long _rejectedNotAllowed;
    private long _rejectedTooLarge;
    private long _idleTimeouts;
    private long _aborted;
    private long _sinkErrors;
    private long _untrustedEntries;

    /// <summary>Streams accepted since start.</summary>
    public long StreamsOpened => Interlocked.Read(ref _streamsOpened);

    /// <summary>Streams accepted and not yet ended.</summary>
    public long StreamsOpen => Interlocked.Read(ref _streamsOpen);

    /// <summary>Accepted streams that ended, for any reason.</summary>
    public long StreamsClosed => Interlocked.Read(ref _streamsClosed);

    public long Messages => Interlocked.Read(ref _messages);

    public long HttpEntries => Interlocked.Read(ref _httpEntries);

    public long TcpEntries => Interlocked.Read(ref _tcpEntries);

    /// <summary>Streams refused because <see cref="AlsServerOptions.MaxConcurrentStreams"/> were open.</summary>
    public long RejectedTooManyStreams => Interlocked.Read(ref _rejectedTooManyStreams);

    /// <summary>Streams refused because the peer is outside <see cref="AlsServerOptions.AllowedSenders"/>.</summary>
    public long RejectedNotAllowed => Interlocked.Read(ref _rejectedNotAllowed);

    /// <summary>Streams ended because a message exceeded <see cref="AlsServerOptions.MaxReceiveMessageSize"/>.</summary>
    public long RejectedTooLarge => Interlocked.Read(ref _rejectedTooLarge);

    public long IdleTimeouts => Interlocked.Read(ref _idleTimeouts);

    /// <summary>Streams the client reset or abandoned mid-stream.</summary>
    public long Aborted => Interlocked.Read(ref _aborted);

    /// <summary>Streams ended because the sink threw.</summary>
    public long SinkErrors => Interlocked.Read(ref _sinkErrors);

    /// <summary>Entries dropped because the stream's peer may not report for the workload they name (<see cref="AlsServerOptions.PeerVerification"/>).</summary>
    public long UntrustedEntries => Interlocked.Read(ref _untrustedEntries);

    public long DecodeErrorsTotal
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _decodeErrors.Length; i++)
            {
                total += Interlocked.Read(ref _decodeErrors[i]);
            }

            return total;
        }
    }

    public long DecodeErrors(AlsDecodeError kind) => Interlocked.Read(ref _decodeErrors[(int)kind]);

    internal long TryOpenStream(int maxConcurrentStreams)
    {
        var open = Interlocked.Increment(ref _streamsOpen);
        if (open > maxConcurrentStreams)
        {
            Interlocked.Decrement(ref _streamsOpen);
            Interlocked.Increment(ref _rejectedTooManyStreams);
            return -1;
        }

        Interlocked.Increment(ref _streamsOpened);
        return open;
    }

    internal void CloseStream()
    {
        Interlocked.Increment(ref _streamsClosed);
        Interlocked.Decrement(ref _streamsOpen);
    }

    internal void AddMessage() => Interlocked.Increment(ref _messages);

    internal void AddEntries(in AlsDecodeResult result)
    {
        if (result.HttpEntries != 0)
        {
            Interlocked.Add(ref _httpEntries, result.HttpEntries);
        }

        if (result.TcpEntries != 0)
        {
            Interlocked.Add(ref _tcpEntries, result.TcpEntries);
        }
    }

    internal void AddDecodeError(AlsDecodeError kind) => Interlocked.Increment(ref _decodeErrors[(int)kind]);

    internal void AddRejectedNotAllowed() => Interlocked.Increment(ref _rejectedNotAllowed);

    internal void AddRejectedTooLarge() => Interlocked.Increment(ref _rejectedTooLarge);

    internal void AddIdleTimeout() => Interlocked.Increment(ref _idleTimeouts);

    internal void AddAborted() => Interlocked.Increment(ref _aborted);

    internal void AddSinkError() => Interlocked.Increment(ref _sinkErrors);

    internal void AddUntrustedEntry() => Interlocked.Increment(ref _untrustedEntries);

    /// <summary>A stream refused by a per-connection or per-peer cap (counted with the global cap's refusals).</summary>
    internal void AddRejectedTooManyStreams() => Interlocked.Increment(ref _rejectedTooManyStreams);
}
