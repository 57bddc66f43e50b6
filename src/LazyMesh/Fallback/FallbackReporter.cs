using System.Collections.Concurrent;
using Grpc.Core;
using LazyMesh.AccessLogs;
using LazyMesh.Als;
using LazyMesh.Als.Envoy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LazyMesh.Fallback;

/// <summary>
/// Reports forwarded calls to the controller as Envoy ALS <c>HTTPAccessLogEntry</c>s with log_name
/// <c>lazymesh-fallback</c>: each distinct (caller, cluster) pair at most once per batch, a batch about every
/// <see cref="FallbackReporterOptions.FlushInterval"/>, over one long-lived stream that is reopened with
/// exponential backoff when it fails. Pending pairs are bounded; overflow is dropped and counted.
/// </summary>
public sealed partial class FallbackReporter : IAsyncDisposable
{
    private readonly AlsReplayClient _client;
    private readonly FallbackReporterOptions _options;
    private readonly FallbackMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private ConcurrentDictionary<(string Caller, string Cluster), ReplayEntry> _pending = new();
    private List<ReplayEntry> _unsent = [];
    private AsyncClientStreamingCall<StreamAccessLogsMessage, StreamAccessLogsResponse>? _call;
    private int _failures;
    private long _retryAt;
    private Task? _loop;
    private long _sent;
    private long _dropped;
    private long _streamFailures;

    public FallbackReporter(Uri alsTarget, FallbackReporterOptions? options = null, FallbackMetrics? metrics = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(alsTarget);
        _options = options ?? new FallbackReporterOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxPending, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MessageSize, 1);
        _client = new AlsReplayClient(alsTarget, new AlsReplayOptions { NodeId = _options.NodeId, LogName = AlsStreamDecoder.FallbackMarker });
        _metrics = metrics;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<FallbackReporter>();
    }

    /// <summary>Entries written to the ALS stream.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Reports dropped because the pending set was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>ALS streams that failed (each is reopened), whatever their status (<see cref="FallbackMetrics.ReportStreamFailures"/> has them by status).</summary>
    public long StreamFailures => Interlocked.Read(ref _streamFailures);

    /// <summary>Starts flushing every <see cref="FallbackReporterOptions.FlushInterval"/>.</summary>
    public void Start() => _loop ??= RunAsync(_stopping.Token);

    /// <summary>
    /// Records one forwarded call. Lock-free when the pair is already pending (the common case); otherwise a short lock.
    /// </summary>
    /// <param name="caller">The calling pod's IP.</param>
    /// <param name="destination">Where the call went.</param>
    /// <param name="authority">The Host as the caller used it.</param>
    /// <param name="originalDestination">The original destination IP:port, when known.</param>
    public void Report(string caller, FallbackDestination destination, string? authority, string? originalDestination, int statusCode)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(destination);
        var key = (caller, destination.Cluster);
        if (Volatile.Read(ref _pending).ContainsKey(key))
        {
            return;
        }

        string? destinationIp = null;
        var destinationPort = 0;
        if (originalDestination is not null && Mesh.IpKey.TryParseEndpoint(originalDestination, out var ip, out destinationPort))
        {
            destinationIp = ip.ToString();
        }

        var entry = new ReplayEntry
        {
            Protocol = AccessProtocol.Http,
            UpstreamCluster = destination.Cluster,
            Authority = authority,
            SourceAddress = caller,
            DestinationAddress = destinationIp,
            DestinationPort = destinationPort,
            StartTimeUnixMs = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
            ResponseCode = statusCode,
        };

        // Adds (and the batch swap) happen under the lock, so none lands in a batch already taken.
        lock (_gate)
        {
            if (_pending.Count >= _options.MaxPending)
            {
                if (!_pending.ContainsKey(key))
                {
                    Interlocked.Increment(ref _dropped);
                    _metrics?.ReportsDropped.Inc();
                }

                return;
            }

            _pending.TryAdd(key, entry);
        }
    }

    /// <summary>Sends what is pending now (and anything left from a failed attempt). Returns the entries written.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken = default)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ConcurrentDictionary<(string, string), ReplayEntry> batch;
            lock (_gate)
            {
                batch = _pending;
                Volatile.Write(ref _pending, new ConcurrentDictionary<(string, string), ReplayEntry>());
            }

            _unsent.AddRange(batch.Values);
            if (_unsent.Count > _options.MaxPending)
            {
                var excess = _unsent.Count - _options.MaxPending;
                _unsent.RemoveRange(0, excess);
                Interlocked.Add(ref _dropped, excess);
                _metrics?.ReportsDropped.Inc(excess);
            }

            if (_unsent.Count == 0 || _options.TimeProvider.GetTimestamp() < _retryAt)
            {
                return 0;
            }

            var written = 0;
            for (var attempt = 0; _unsent.Count > 0; attempt++)
            {
                var wasOpen = _call is not null;
                try
                {
                    written += await WriteAllAsync(cancellationToken).ConfigureAwait(false);
                    _failures = 0;
                    break;
                }
                catch (Exception ex) when (ex is RpcException or InvalidOperationException or IOException && !cancellationToken.IsCancellationRequested)
                {
                    // A write on a call the server ended raises the server's status (AlsReplayClient.WriteAsync).
                    var status = RecordStreamFailure(ex);
                    CloseStream();

                    // A stream that had worked (e.g. ended by the server's idle timeout) is reopened at once, once.
                    if (wasOpen && attempt == 0)
                    {
                        LogStreamEnded(status, ex.Message);
                        continue;
                    }

                    var backoff = Resilience.ExponentialBackoff.Delay(++_failures, _options.InitialBackoff, _options.MaxBackoff);
                    LogStreamFailed(status, ex.Message, backoff.TotalSeconds, _unsent.Count);
                    _retryAt = _options.TimeProvider.GetTimestamp() + (long)(backoff.TotalSeconds * _options.TimeProvider.TimestampFrequency);
                    break;
                }
            }

            return written;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await FlushAsync(timeout.Token).ConfigureAwait(false);
            if (_call is { } call)
            {
                // The server's status of the last stream, which may have ended since the last write (a sender it does not allow).
                await AlsReplayClient.CompleteAsync(call, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException ex)
        {
            LogFinalFlushFailed("timeout", ex.Message);
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException or IOException)
        {
            LogFinalFlushFailed(RecordStreamFailure(ex), ex.Message);
        }
        finally
        {
            CloseStream();
            _client.Dispose();
            _stopping.Dispose();
            _sendLock.Dispose();
        }
    }

    private async Task<int> WriteAllAsync(CancellationToken cancellationToken)
    {
        var written = 0;
        while (_unsent.Count > 0)
        {
            var call = _call;
            var first = false;
            if (call is null || call.ResponseAsync.IsCompleted)
            {
                if (call?.ResponseAsync.Exception?.InnerException is RpcException ended && !(ended.StatusCode == StatusCode.Cancelled && _stopping.IsCancellationRequested))
                {
                    // Ended by the server since the last write (its idle timeout, a limit): counted with its status.
                    LogStreamEnded(RecordStreamFailure(ended), ended.Status.Detail);
                }

                CloseStream();
                await ConnectAsync(cancellationToken).ConfigureAwait(false);
                // Not cancelled by the stop: the final flush still writes on it (CloseStream ends it).
                call = _call = _client.OpenStream(CancellationToken.None);
                first = true;
            }

            var count = Math.Min(_options.MessageSize, _unsent.Count);
            var message = _client.BuildMessage(_unsent.GetRange(0, count), includeIdentifier: first);
            await AlsReplayClient.WriteAsync(call, message, cancellationToken).ConfigureAwait(false);
            _unsent.RemoveRange(0, count);
            written += count;
            Interlocked.Add(ref _sent, count);
            _metrics?.ReportsSent.Inc(count);
        }

        return written;
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connect.CancelAfter(_options.ConnectTimeout);
        try
        {
            await _client.ConnectAsync(connect.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"no connection to the controller's ALS endpoint within {_options.ConnectTimeout.TotalSeconds} s");
        }
    }

    /// <summary>Counts a failed stream by the gRPC status it ended with (none: <see cref="FallbackMetrics.TransportFailure"/>); returns its label.</summary>
    private string RecordStreamFailure(Exception failure)
    {
        var status = failure is RpcException rpc ? rpc.StatusCode : (StatusCode?)null;
        Interlocked.Increment(ref _streamFailures);
        _metrics?.ReportStreamFailed(status);
        return FallbackMetrics.StatusLabel(status);
    }

    private void CloseStream()
    {
        _call?.Dispose();
        _call = null;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.FlushInterval, _options.TimeProvider);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
