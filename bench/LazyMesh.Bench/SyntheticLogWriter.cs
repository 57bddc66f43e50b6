using System.Globalization;
using System.Text;

namespace LazyMesh.Bench;

/// <summary>
/// Writes an Istio TEXT access log against a <see cref="SyntheticMesh"/>: 72% outbound HTTP from a pod to
/// <c>outbound|9080||svc.ns.svc.cluster.local</c> (each workload calls a handful of services, so most edges repeat),
/// 8% outbound TCP, 5% PassthroughCluster to a ClusterIP, 10% inbound, 3% BlackHoleCluster, 2% from an unknown
/// (node) address. Lines average ~360 characters (TCP ~200, HTTP 300-475) with user agents, request ids and paths; deterministic per seed.
/// </summary>
public static class SyntheticLogWriter
{
    private static readonly string[] UserAgents =
    [
        "python-requests/2.31.0",
        "Apache-CXF/3.1.18",
        "grpc-go/1.62.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "okhttp/4.12.0",
        "Go-http-client/1.1",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
    ];

    private static readonly string[] Paths =
    [
        "/api/v1/orders/{0}?include=items,customer&currency=EUR",
        "/api/v2/catalog/products/{0}/reviews?page=2&size=50",
        "/api/v1/carts/{0}/items?expand=prices,availability",
        "/grpc.health.v1.Health/Check",
        "/v1/users/{0}/preferences",
    ];

    /// <summary>Writes <paramref name="lines"/> lines to <paramref name="output"/>; returns the bytes written.</summary>
    public static long Write(SyntheticMesh mesh, Stream output, long lines, int seed = 42)
    {
        var inv = CultureInfo.InvariantCulture;
        var random = new Random(seed);
        var line = new StringBuilder(512);
        var bytes = new byte[2048];
        long written = 0;
        var buffered = new BufferedStream(output, 1 << 20);
        var start = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        int services = mesh.ServiceNames.Length;
        Span<char> time = stackalloc char[32];
        for (long i = 0; i < lines; i++)
        {
            line.Clear();
            start.AddTicks(i * 3 * TimeSpan.TicksPerMillisecond).TryFormat(time, out int timeLength, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", inv);
            var ts = time[..timeLength];
            int pod = random.Next(mesh.PodIps.Length);
            string src = mesh.PodIps[pod];
            int wl = mesh.PodWorkloads[pod];
            int srcPort = random.Next(32768, 61000);
            string requestId = GuidFrom(random);
            string ua = UserAgents[random.Next(UserAgents.Length)];
            string path = string.Format(inv, Paths[random.Next(Paths.Length)], random.Next(100_000));
            int duration = random.Next(1, 400);
            int roll = random.Next(100);

            // Each workload calls 5 services (HTTP) and, for TCP, one database.
            int dep = ((wl * 7) + (random.Next(5) * 13)) % services;
            if (mesh.ServiceIsTcp[dep])
            {
                dep = (dep + 1) % services;
            }

            string endpoint = mesh.PodIps[random.Next(mesh.PodIps.Length)];
            line.Append('[').Append(ts).Append("] ");
            if (roll < 72)
            {
                string fqdn = mesh.ServiceFqdn(dep);
                line.Append(inv, $"\"GET {path} HTTP/1.1\" 200 - via_upstream - \"-\" 0 {random.Next(100, 90_000)} {duration} {duration - 1} ")
                    .Append(inv, $"\"-\" \"{ua}\" \"{requestId}\" \"{mesh.ServiceNames[dep]}.{mesh.ServiceNamespaces[dep]}:9080\" \"{endpoint}:9080\" ")
                    .Append(inv, $"outbound|9080||{fqdn} {src}:{random.Next(32768, 61000)} {mesh.ServiceIps[dep]}:9080 {src}:{srcPort} - default");
            }
            else if (roll < 80)
            {
                int db = ((wl / 10 * 10) + 9) % services;
                string fqdn = mesh.ServiceFqdn(db);
                line.Append(inv, $"\"- - -\" 0 - - - \"-\" {random.Next(100, 9000)} {random.Next(100, 90_000)} {duration * 100} - \"-\" \"-\" \"-\" \"-\" ")
                    .Append(inv, $"\"{endpoint}:5432\" outbound|5432||{fqdn} {src}:{random.Next(32768, 61000)} {mesh.ServiceIps[db]}:5432 {src}:{srcPort} - -");
            }
            else if (roll < 85)
            {
                line.Append(inv, $"\"POST {path} HTTP/2\" 201 - via_upstream - \"-\" {random.Next(100, 9000)} 512 {duration} {duration - 1} ")
                    .Append(inv, $"\"-\" \"{ua}\" \"{requestId}\" \"{mesh.ServiceNames[dep]}:9080\" \"{mesh.ServiceIps[dep]}:9080\" ")
                    .Append(inv, $"PassthroughCluster {src}:{random.Next(32768, 61000)} {mesh.ServiceIps[dep]}:9080 {src}:{srcPort} - allow_any");
            }
            else if (roll < 95)
            {
                string caller = mesh.PodIps[random.Next(mesh.PodIps.Length)];
                line.Append(inv, $"\"GET {path} HTTP/1.1\" 200 - via_upstream - \"-\" 0 {random.Next(100, 90_000)} {duration} {duration - 1} ")
                    .Append(inv, $"\"-\" \"{ua}\" \"{requestId}\" \"{mesh.ServiceNames[dep]}.{mesh.ServiceNamespaces[dep]}:9080\" \"{src}:9080\" ")
                    .Append(inv, $"inbound|9080|| 127.0.0.6:{random.Next(32768, 61000)} {src}:9080 {caller}:{srcPort} outbound_.9080_._.{mesh.ServiceFqdn(dep)} default");
            }
            else if (roll < 98)
            {
                line.Append(inv, $"\"GET {path} HTTP/1.1\" 502 UH no_healthy_upstream - \"-\" 0 0 0 - ")
                    .Append(inv, $"\"-\" \"{ua}\" \"{requestId}\" \"legacy-billing.internal:8080\" \"-\" ")
                    .Append(inv, $"BlackHoleCluster - 10.97.3.{random.Next(1, 250)}:8080 {src}:{srcPort} - block_all");
            }
            else
            {
                string fqdn = mesh.ServiceFqdn(dep);
                line.Append(inv, $"\"GET {path} HTTP/1.1\" 200 - via_upstream - \"-\" 0 {random.Next(100, 90_000)} {duration} {duration - 1} ")
                    .Append(inv, $"\"10.0.0.{random.Next(1, 9)}\" \"kube-probe/1.30\" \"{requestId}\" \"{mesh.ServiceNames[dep]}.{mesh.ServiceNamespaces[dep]}:9080\" \"{endpoint}:9080\" ")
                    .Append(inv, $"outbound|9080||{fqdn} 172.18.0.{random.Next(2, 9)}:{random.Next(32768, 61000)} {mesh.ServiceIps[dep]}:9080 172.18.0.3:{srcPort} - default");
            }

            line.Append('\n');
            int n = Encoding.UTF8.GetBytes(line.ToString(), bytes);
            buffered.Write(bytes, 0, n);
            written += n;
        }

        buffered.Flush();
        return written;
    }

    /// <summary>Writes the log to <paramref name="path"/>; returns the bytes written.</summary>
    public static long WriteFile(SyntheticMesh mesh, string path, long lines, int seed = 42)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1, FileOptions.SequentialScan);
        return Write(mesh, file, lines, seed);
    }

    private static string GuidFrom(Random random)
    {
        Span<byte> b = stackalloc byte[16];
        random.NextBytes(b);
        return new Guid(b).ToString();
    }
}
