using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using LazyMesh.Als.Envoy;
using SocketAddress = LazyMesh.Als.Envoy.SocketAddress;

namespace LazyMesh.Bench;

/// <summary>
/// Pre-encoded ALS messages over a <see cref="AlsSyntheticMesh"/>, shaped like an Istio sidecar's outbound HTTP
/// entries (downstream remote = the caller's pod, downstream local = the ClusterIP, upstream = a server pod,
/// outbound|port||fqdn cluster, method, path, user agent, request id, timings).
/// </summary>
internal static class AlsCorpus
{
    /// <summary>The first message of a sidecar's stream: only the identifier (node id and log name).</summary>
    public static byte[] Identifier(AlsSyntheticMesh mesh, int workload, int replica) => new StreamAccessLogsMessage
    {
        Identifier = new StreamAccessLogsMessage.Types.Identifier
        {
            Node = new Node { Id = mesh.NodeId(workload, replica), Cluster = $"{mesh.WorkloadName(workload)}.{mesh.Namespace(workload)}" },
            LogName = "envoy-als",
        },
    }.ToByteArray();

    /// <summary>One message of HTTP entries from (workload, replica) to the given destination Services.</summary>
    public static byte[] HttpEntries(AlsSyntheticMesh mesh, int workload, int replica, IReadOnlyList<int> destinations, long startUnixSeconds)
    {
        var logs = new StreamAccessLogsMessage.Types.HTTPAccessLogEntries();
        for (var i = 0; i < destinations.Count; i++)
        {
            logs.LogEntry.Add(Entry(mesh, workload, replica, destinations[i], i, startUnixSeconds));
        }

        return new StreamAccessLogsMessage { HttpLogs = logs }.ToByteArray();
    }

    public static HTTPAccessLogEntry Entry(AlsSyntheticMesh mesh, int workload, int replica, int service, int i, long startUnixSeconds) => new()
    {
        CommonProperties = new AccessLogCommon
        {
            SampleRate = 1,
            UpstreamCluster = $"outbound|{AlsSyntheticMesh.ServicePort}||{mesh.ServiceFqdn(service)}",
            DownstreamRemoteAddress = Socket(mesh.PodIp(workload, replica), (uint)(30000 + (i % 30000))),
            DownstreamLocalAddress = Socket(mesh.ServiceIp(service), AlsSyntheticMesh.ServicePort),
            UpstreamRemoteAddress = Socket(mesh.PodIp(service, i % mesh.PodsPerWorkload), AlsSyntheticMesh.ServicePort),
            UpstreamLocalAddress = Socket(mesh.PodIp(workload, replica), (uint)(40000 + (i % 20000))),
            StartTime = new Timestamp { Seconds = startUnixSeconds + (i / 10), Nanos = i * 1000 },
            Duration = new Duration { Nanos = 3_000_000 + (i * 1000) },
            RouteName = "default",
            ResponseFlags = new ResponseFlags(),
        },
        ProtocolVersion = HTTPAccessLogEntry.Types.HTTPVersion.Http11,
        Request = new HTTPRequestProperties
        {
            RequestMethod = RequestMethod.Get,
            Scheme = "http",
            Authority = $"svc-{service}.{mesh.Namespace(service)}:{AlsSyntheticMesh.ServicePort}",
            Path = $"/api/v1/items/{i}?page=2",
            UserAgent = "Go-http-client/1.1",
            RequestId = Guid.NewGuid().ToString(),
        },
        Response = new HTTPResponseProperties { ResponseCode = 200 },
    };

    private static Address Socket(string ip, uint port) => new() { SocketAddress = new SocketAddress { Address = ip, PortValue = port } };
}
