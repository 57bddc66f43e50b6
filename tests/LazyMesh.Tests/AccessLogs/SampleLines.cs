namespace LazyMesh.Tests.AccessLogs;

/// <summary>Real-looking Istio 1.2x sidecar access log lines (default TEXT format).</summary>
public static class SampleLines
{
    public const string HttpOutbound =
        "[2024-05-01T12:00:01.534Z] \"GET /reviews/0 HTTP/1.1\" 200 - via_upstream - \"-\" 0 358 3 2 \"-\" \"python-requests/2.31.0\" "
        + "\"11e20b8f-6b0d-449b-af03-675a1600a35a\" \"reviews:9080\" \"10.244.1.12:9080\" outbound|9080||reviews.bookinfo.svc.cluster.local "
        + "10.244.1.10:46678 10.96.10.12:9080 10.244.1.10:40654 - default";

    public const string Tcp =
        "[2024-05-01T12:00:03.970Z] \"- - -\" 0 - - - \"-\" 690 3798 360 - \"-\" \"-\" \"-\" \"-\" \"93.184.216.34:443\" "
        + "outbound|443||api.example.com 10.244.1.10:56102 93.184.216.34:443 10.244.1.10:56100 api.example.com -";

    public const string Passthrough =
        "[2024-05-01T12:00:11.734Z] \"GET /ratings/0 HTTP/1.1\" 200 - via_upstream - \"-\" 0 48 5 4 \"-\" \"python-requests/2.31.0\" "
        + "\"482c9cbc-4343-4cc5-aeae-05cf96a1e2f0\" \"ratings:9080\" \"10.96.10.13:9080\" PassthroughCluster 10.244.1.10:41234 "
        + "10.96.10.13:9080 10.244.1.10:41230 - allow_any";

    public const string Inbound =
        "[2024-05-01T12:00:01.535Z] \"GET /reviews/0 HTTP/1.1\" 200 - via_upstream - \"-\" 0 358 2 2 \"-\" \"python-requests/2.31.0\" "
        + "\"11e20b8f-6b0d-449b-af03-675a1600a35a\" \"reviews:9080\" \"10.244.1.12:9080\" inbound|9080|| 127.0.0.6:34704 "
        + "10.244.1.12:9080 10.244.1.10:40654 outbound_.9080_._.reviews.bookinfo.svc.cluster.local default";

    public const string BlackHole =
        "[2024-05-01T12:00:04.000Z] \"- - -\" 0 UH - - \"-\" 0 0 0 - \"-\" \"-\" \"-\" \"-\" \"-\" BlackHoleCluster - "
        + "10.96.99.1:5432 10.244.1.10:40000 - -";

    public const string Ipv6 =
        "[2024-05-01T12:00:05.000Z] \"POST /api/v1/ratings HTTP/2\" 201 - via_upstream - \"-\" 120 12 7 6 \"-\" \"grpc-go/1.62.0\" "
        + "\"0f9d2a4e-0000-4000-8000-000000000001\" \"ratings.bookinfo:9080\" \"[fd00:10:244:1::f]:9080\" "
        + "outbound|9080||ratings.bookinfo.svc.cluster.local [fd00:10:244:1::a]:33000 [fd00:10:96::d]:9080 [fd00:10:244:1::a]:51234 - default";

    public const string UserAgentWithQuote =
        "[2024-05-01T12:00:06.000Z] \"GET /productpage?u=1 HTTP/1.1\" 200 - via_upstream - \"-\" 0 5293 45 44 \"203.0.113.7, 10.244.0.5\" "
        + "\"Mozilla/5.0 (X11; Linux x86_64) \"quoted\" thing\" \"a6a3a450-6513-470e-a69e-0d37f2a74de4\" \"bookinfo.example.com\" "
        + "\"10.244.1.10:9080\" inbound|9080|| 127.0.0.6:34350 10.244.1.10:9080 10.244.0.5:35141 "
        + "outbound_.9080_._.productpage.bookinfo.svc.cluster.local default";

    public const string UpstreamFailure =
        "[2024-05-01T12:00:12.301Z] \"GET /reviews/0 HTTP/1.1\" 503 UF upstream_reset_before_response_started{connection_failure} - "
        + "\"delayed connect error: 111\" 0 91 1 - \"-\" \"python-requests/2.31.0\" \"3c1c4d4e-77a2-4f1d-9a7c-6e3f0e2b1a11\" "
        + "\"reviews:9080\" \"10.244.1.13:9080\" outbound|9080||reviews.bookinfo.svc.cluster.local - 10.96.10.12:9080 10.244.1.10:55555 - default";

    public const string EnvoyOwnLog =
        "2024-05-01T12:00:01.000000Z\twarning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:152\t"
        + "StreamAggregatedResources gRPC config stream to xds-grpc closed: 13, \tthread=15";

    public static IEnumerable<string> All =>
        [HttpOutbound, Tcp, Passthrough, Inbound, BlackHole, Ipv6, UserAgentWithQuote, UpstreamFailure];
}
