using System.Globalization;
using System.Text;

namespace LazyMesh.Bench;

/// <summary>
/// Generates a realistic Istio sidecar access log in memory: 60% HTTP outbound to in-mesh services, 20% inbound,
/// 10% TCP to external services, 7% PassthroughCluster, 3% BlackHoleCluster; Istio's default TEXT format or its JSON encoding.
/// </summary>
public static class AccessLogCorpus
{
    private static readonly string[] Services = ["productpage", "details", "reviews", "ratings", "checkout", "cart", "payments", "shipping", "catalog", "search"];
    private static readonly string[] Namespaces = ["bookinfo", "shop", "platform"];
    private static readonly string[] UserAgents =
    [
        "python-requests/2.31.0",
        "Apache-CXF/3.1.18",
        "grpc-go/1.62.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "okhttp/4.12.0",
    ];

    public static byte[] Generate(int lineCount, bool json)
    {
        var random = new Random(42);
        var text = new StringBuilder(lineCount * 420);
        var start = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < lineCount; i++)
        {
            var time = start.AddMilliseconds(i * 3 + random.Next(3)).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            string source = $"10.244.{random.Next(1, 20)}.{random.Next(2, 250)}";
            int svc = random.Next(Services.Length);
            string ns = Namespaces[random.Next(Namespaces.Length)];
            string fqdn = $"{Services[svc]}.{ns}.svc.cluster.local";
            string clusterIp = $"10.96.{svc}.{random.Next(1, 250)}";
            string endpoint = $"10.244.{random.Next(1, 20)}.{random.Next(2, 250)}";
            string requestId = Guid.NewGuid().ToString();
            string ua = UserAgents[random.Next(UserAgents.Length)];
            int roll = random.Next(100);
            AccessLogCorpusEntry e = roll switch
            {
                < 60 => new(time, "GET", $"/{Services[svc]}/{random.Next(1000)}", "HTTP/1.1", 200, "-", "via_upstream", ua, requestId, $"{Services[svc]}.{ns}:9080",
                    $"{endpoint}:9080", $"outbound|9080||{fqdn}", $"{source}:{random.Next(32768, 61000)}", $"{clusterIp}:9080", $"{source}:{random.Next(32768, 61000)}", "-", "default"),
                < 80 => new(time, "POST", "/api/v1/items", "HTTP/2", 201, "-", "via_upstream", ua, requestId, $"{Services[svc]}:9080",
                    $"{source}:9080", "inbound|9080||", $"127.0.0.6:{random.Next(32768, 61000)}", $"{source}:9080", $"{endpoint}:{random.Next(32768, 61000)}",
                    $"outbound_.9080_._.{fqdn}", "default"),
                < 90 => new(time, "-", "-", "-", 0, "-", "-", "-", "-", "-", "93.184.216.34:443", "outbound|443||api.example.com",
                    $"{source}:{random.Next(32768, 61000)}", "93.184.216.34:443", $"{source}:{random.Next(32768, 61000)}", "api.example.com", "-"),
                < 97 => new(time, "GET", "/ratings/0", "HTTP/1.1", 200, "-", "via_upstream", ua, requestId, $"{Services[svc]}:9080",
                    $"{clusterIp}:9080", "PassthroughCluster", $"{source}:{random.Next(32768, 61000)}", $"{clusterIp}:9080", $"{source}:{random.Next(32768, 61000)}", "-", "allow_any"),
                _ => new(time, "-", "-", "-", 0, "UH", "-", "-", "-", "-", "-", "BlackHoleCluster", "-", $"10.96.99.{random.Next(1, 250)}:5432",
                    $"{source}:{random.Next(32768, 61000)}", "-", "-"),
            };
            if (json)
            {
                AppendJson(text, e);
            }
            else
            {
                AppendText(text, e);
            }

            text.Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void AppendText(StringBuilder b, AccessLogCorpusEntry e) =>
        b.Append(CultureInfo.InvariantCulture, $"[{e.Time}] \"{e.Method} {e.Path} {e.Protocol}\" {e.Code} {e.Flags} {e.Details} - \"-\" 0 {e.Code * 7 + 48} 4 3 ")
            .Append(CultureInfo.InvariantCulture, $"\"-\" \"{e.UserAgent}\" \"{e.RequestId}\" \"{e.Authority}\" \"{e.UpstreamHost}\" {e.Cluster} {e.UpstreamLocal} ")
            .Append(CultureInfo.InvariantCulture, $"{e.DownstreamLocal} {e.DownstreamRemote} {e.ServerName} {e.Route}");

    private static void AppendJson(StringBuilder b, AccessLogCorpusEntry e)
    {
        static string S(string v) => v == "-" ? "null" : "\"" + v + "\"";
        b.Append(CultureInfo.InvariantCulture, $"{{\"start_time\":\"{e.Time}\",\"method\":{S(e.Method)},\"path\":{S(e.Path)},\"protocol\":{S(e.Protocol)},")
            .Append(CultureInfo.InvariantCulture, $"\"response_code\":{e.Code},\"response_flags\":{S(e.Flags)},\"response_code_details\":{S(e.Details)},")
            .Append(CultureInfo.InvariantCulture, $"\"connection_termination_details\":null,\"upstream_transport_failure_reason\":null,\"bytes_received\":0,")
            .Append(CultureInfo.InvariantCulture, $"\"bytes_sent\":{e.Code * 7 + 48},\"duration\":4,\"upstream_service_time\":\"3\",\"x_forwarded_for\":null,")
            .Append(CultureInfo.InvariantCulture, $"\"user_agent\":{S(e.UserAgent)},\"request_id\":{S(e.RequestId)},\"authority\":{S(e.Authority)},")
            .Append(CultureInfo.InvariantCulture, $"\"upstream_host\":{S(e.UpstreamHost)},\"upstream_cluster\":{S(e.Cluster)},\"upstream_local_address\":{S(e.UpstreamLocal)},")
            .Append(CultureInfo.InvariantCulture, $"\"downstream_local_address\":{S(e.DownstreamLocal)},\"downstream_remote_address\":{S(e.DownstreamRemote)},")
            .Append(CultureInfo.InvariantCulture, $"\"requested_server_name\":{S(e.ServerName)},\"route_name\":{S(e.Route)}}}");
    }
}
