using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using k8s;
using LazyMesh.Als.Envoy;
using LazyMesh.Kubernetes.Informers;

namespace LazyMesh.ChurnBench;

/// <summary>
/// Sends ALS messages that each introduce a dependency the controller has not seen (a workload of the enabled namespace
/// calls a Service it never called) at a steady rate, on one connection and stream per source pod as Envoy keeps them, and
/// watches the Sidecars in the API. A dependency's latency runs from its message written on the stream to the watch
/// event of its workload's Sidecar listing the host (no polling: the event is the API showing it).
/// </summary>
internal sealed class NewDependencies : IAsyncDisposable
{
    private readonly ClusterShape _cluster;
    private readonly System.Net.IPEndPoint _als;
    private readonly Source[] _sources;
    private readonly GrpcChannel?[] _channels;
    private readonly AsyncClientStreamingCall<StreamAccessLogsMessage, StreamAccessLogsResponse>?[] _streams;
    private readonly Dictionary<string, Dictionary<string, Pending>> _pending = new(StringComparer.Ordinal);
    private readonly CustomResourceClient<JsonObject> _sidecars;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _watching = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _watch = Task.CompletedTask;
    private TaskCompletionSource _event = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _next;
    private int _sidecarsSeen;

    /// <summary>Every dependency seen so far, for <see cref="StageTrace"/> (drained by the caller per phase).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<SentDependency> Seen { get; } = new();

    public NewDependencies(IKubernetes client, System.Net.IPEndPoint als, ClusterShape cluster, IReadOnlyList<(int Deployment, string SidecarName)> sources)
    {
        _cluster = cluster;
        _sources = [.. sources.Select(s => new Source(s.Deployment, cluster.SeededPodName(s.Deployment, 0), cluster.SeededPodIp(s.Deployment), s.SidecarName))];
        _als = als;
        _channels = new GrpcChannel?[_sources.Length];
        _streams = new AsyncClientStreamingCall<StreamAccessLogsMessage, StreamAccessLogsResponse>?[_sources.Length];
        _sidecars = new CustomResourceClient<JsonObject>(client, "networking.istio.io", "v1", "sidecars");
    }

    /// <summary>Managed Sidecars seen in the API so far (each name once).</summary>
    public int SidecarsSeen => Volatile.Read(ref _sidecarsSeen);

    /// <summary>Dependencies sent whose host no Sidecar event has shown yet.</summary>
    public int Outstanding
    {
        get
        {
            lock (_pending)
            {
                return _pending.Values.Sum(static p => p.Count);
            }
        }
    }

    /// <summary>Starts the Sidecar watch (from the current list) and returns once it is open.</summary>
    public async Task StartAsync()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        string? resourceVersion = null;
        string? next = null;
        do
        {
            var page = await _sidecars.ListAsync(next, 500, _stop.Token);
            foreach (var sidecar in page.Items)
            {
                Observe(sidecar, names);
            }

            resourceVersion = page.ResourceVersion;
            next = page.Continue;
        }
        while (!string.IsNullOrEmpty(next));

        _watch = Task.Run(() => WatchAsync(resourceVersion ?? "0", names));
        await _watching.Task;
    }

    /// <summary>
    /// Sends <paramref name="perSecond"/> new dependencies a second for <paramref name="duration"/>, each due at its own
    /// time from the start; latencies go to <paramref name="into"/>. Returns the number sent.
    /// </summary>
    public async Task<int> RunAsync(int perSecond, TimeSpan duration, Percentiles into, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(1.0 / perSecond);
        var total = (int)(duration.TotalSeconds * perSecond);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var wait = (interval * i) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            await SendOneAsync(into, cancellationToken);
        }

        return total;
    }

    /// <summary>Waits until every dependency sent is seen, or <paramref name="timeout"/>; returns how many are still unseen (and forgets them).</summary>
    public async Task<int> SettleAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (Outstanding > 0 && deadline.Elapsed < timeout)
        {
            // Between watch events nothing can change: wait for the next one (bounded by the deadline).
            await WaitForEventAsync(timeout - deadline.Elapsed);
        }

        lock (_pending)
        {
            var unseen = _pending.Values.Sum(static p => p.Count);
            _pending.Clear();
            return unseen;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var stream in _streams)
        {
            stream?.Dispose();
        }

        try
        {
            await _watch;
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var channel in _channels)
        {
            channel?.Dispose();
        }

        _stop.Dispose();
    }

    private async Task WaitForEventAsync(TimeSpan timeout)
    {
        Task next;
        lock (_pending)
        {
            next = _event.Task;
        }

        await Task.WhenAny(next, Task.Delay(timeout <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : timeout));
    }

    private async Task SendOneAsync(Percentiles into, CancellationToken cancellationToken)
    {
        var n = _next++;
        var at = n % _sources.Length;
        var source = _sources[at];
        var service = (n * 7) % _cluster.Services; // each source calls a Service it never called before (n < sources x services)
        var host = _cluster.ServiceHost(service);
        var message = new StreamAccessLogsMessage { HttpLogs = new StreamAccessLogsMessage.Types.HTTPAccessLogEntries() };
        message.HttpLogs.LogEntry.Add(Entry(source.Ip, _cluster.ServiceIp(service), host));
        var stream = _streams[at];
        if (stream is null)
        {
            // A proxy has its own connection, and names itself on the first message of its stream only.
            var channel = _channels[at] = GrpcChannel.ForAddress($"http://{_als}");
            _streams[at] = stream = new AccessLogService.AccessLogServiceClient(channel).StreamAccessLogs(cancellationToken: _stop.Token);
            message.Identifier = new StreamAccessLogsMessage.Types.Identifier
            {
                Node = new Node { Id = $"sidecar~{source.Ip}~{source.Pod}.{_cluster.Namespace(source.Deployment)}~{_cluster.Namespace(source.Deployment)}.svc.cluster.local", Cluster = $"app-{source.Deployment}.{_cluster.Namespace(source.Deployment)}" },
                LogName = "envoy-als",
            };
        }

        lock (_pending)
        {
            if (!_pending.TryGetValue(source.SidecarName, out var hosts))
            {
                _pending[source.SidecarName] = hosts = new Dictionary<string, Pending>(StringComparer.OrdinalIgnoreCase);
            }

            hosts[host] = new Pending(Stopwatch.GetTimestamp(), into, $"{_cluster.Namespace(source.Deployment)}/Deployment/app-{source.Deployment}");
        }

        await stream.RequestStream.WriteAsync(message, cancellationToken);
    }

    private static HTTPAccessLogEntry Entry(string source, string serviceIp, string host) => new()
    {
        CommonProperties = new AccessLogCommon
        {
            UpstreamCluster = $"outbound|80||{host}",
            DownstreamRemoteAddress = Socket(source, 43210),
            DownstreamLocalAddress = Socket(serviceIp, 80),
            UpstreamRemoteAddress = Socket(serviceIp, 80),
            StartTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            Duration = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(3)),
            RouteName = "default",
        },
        ProtocolVersion = HTTPAccessLogEntry.Types.HTTPVersion.Http11,
        Request = new HTTPRequestProperties { Authority = host, Path = "/", RequestMethod = RequestMethod.Get },
        Response = new HTTPResponseProperties { ResponseCode = 200 },
    };

    private static Address Socket(string ip, uint port) => new() { SocketAddress = new SocketAddress { Address = ip, PortValue = port } };

    private async Task WatchAsync(string resourceVersion, HashSet<string> names)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                _watching.TrySetResult();
                await foreach (var (type, sidecar) in _sidecars.WatchAsync(resourceVersion, 3600, static _ => { }, _stop.Token))
                {
                    if (sidecar?["metadata"]?["resourceVersion"]?.GetValue<string>() is { } rv)
                    {
                        resourceVersion = rv;
                    }

                    if (type is WatchEventType.Added or WatchEventType.Modified)
                    {
                        Observe(sidecar!, names);
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or k8s.Autorest.HttpOperationException)
            {
                Console.Error.WriteLine($"sidecar watch: {e.Message}; watching again");
            }
        }
    }

    private void Observe(JsonObject sidecar, HashSet<string> names)
    {
        var seen = Stopwatch.GetTimestamp();
        var name = sidecar["metadata"]?["name"]?.GetValue<string>();
        if (name is null || !name.StartsWith(LazyMesh.Rendering.SidecarNames.Prefix, StringComparison.Ordinal))
        {
            return;
        }

        if (names.Add(name))
        {
            Interlocked.Increment(ref _sidecarsSeen);
        }

        TaskCompletionSource signalled;
        lock (_pending)
        {
            if (_pending.TryGetValue(name, out var hosts) && hosts.Count > 0 && sidecar["spec"]?["egress"] is JsonArray egress)
            {
                foreach (var listener in egress)
                {
                    foreach (var entry in listener?["hosts"]?.AsArray() ?? [])
                    {
                        var text = entry?.GetValue<string>() ?? "";
                        var host = text[(text.IndexOf('/', StringComparison.Ordinal) + 1)..];
                        if (hosts.Remove(host, out var pending))
                        {
                            pending.Into.Add(Stopwatch.GetElapsedTime(pending.Sent, seen));
                            Seen.Enqueue(new SentDependency(pending.Workload, host, pending.Sent, seen));
                        }
                    }
                }
            }

            signalled = _event;
            _event = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signalled.TrySetResult();
    }

    private readonly record struct Source(int Deployment, string Pod, string Ip, string SidecarName);

    private readonly record struct Pending(long Sent, Percentiles Into, string Workload);
}
