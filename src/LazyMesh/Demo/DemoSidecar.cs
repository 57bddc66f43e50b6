using System.Net;
using LazyMesh.Istio;
using LazyMesh.Mesh;
using LazyMesh.Sinks;

namespace LazyMesh.Demo;

/// <summary>
/// Plays an Istio sidecar's outbound side for one demo workload: if the workload's generated Sidecar
/// (a file in the controller's output directory) imports the destination, the call goes straight to
/// an endpoint, as Envoy would with a route and cluster for it; otherwise it goes to the fallback
/// proxy with the headers LazyMesh's EnvoyFilter adds (original destination, source IP, namespace).
/// </summary>
public sealed class DemoSidecar
{
    private readonly DemoPod _pod;
    private readonly DemoTopology _topology;
    private readonly string _sidecarFile;
    private readonly IPEndPoint _fallback;
    private readonly HttpClient _http;
    private readonly Action<DemoCall> _onCall;
    private (DateTime Stamp, IReadOnlyList<SidecarHostPattern> Egress) _cached = (DateTime.MinValue, []);
    private int _roundRobin;

    public DemoSidecar(DemoPod pod, DemoTopology topology, string sidecarFile, IPEndPoint fallback, HttpClient http, Action<DemoCall> onCall)
    {
        _pod = pod;
        _topology = topology;
        _sidecarFile = sidecarFile;
        _fallback = fallback;
        _http = http;
        _onCall = onCall;
    }

    public string Workload => _pod.Workload;

    /// <summary>GET http://&lt;app&gt;:9080&lt;path&gt; as the application would write it.</summary>
    public async Task<string> GetAsync(string app, string path, CancellationToken cancellationToken)
    {
        var service = _topology.Service(app);
        var fqdn = $"{app}.{DemoTopology.Namespace}.svc.cluster.local";
        var authority = $"{app}:{DemoTopology.ServicePort}";
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        HttpRequestMessage request;
        RouteTaken route;
        if (Imports(fqdn))
        {
            var endpoints = _topology.PodsOf(app);
            var endpoint = endpoints[(int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)endpoints.Count)];
            request = new HttpRequestMessage(HttpMethod.Get, $"http://{endpoint.Ip}:{_topology.PodPort}{path}");
            route = RouteTaken.Direct;
        }
        else
        {
            request = new HttpRequestMessage(HttpMethod.Get, $"http://{_fallback}{path}");
            request.Headers.TryAddWithoutValidation("x-lazymesh-original-dst", $"{service.ClusterIp}:{DemoTopology.ServicePort}");
            request.Headers.TryAddWithoutValidation("x-lazymesh-source-ip", _pod.Ip.ToString());
            request.Headers.TryAddWithoutValidation("x-lazymesh-source-namespace", DemoTopology.Namespace);
            route = RouteTaken.Fallback;
        }

        request.Headers.Host = authority;
        using (request)
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            _onCall(new DemoCall(_pod.Workload, fqdn, route, (int)response.StatusCode, System.Diagnostics.Stopwatch.GetElapsedTime(started)));
            response.EnsureSuccessStatusCode();
            return body;
        }
    }

    /// <summary>Whether the workload's current Sidecar file imports the host (re-read when the file changes).</summary>
    public bool Imports(string fqdn)
    {
        var info = new FileInfo(_sidecarFile);
        if (!info.Exists)
        {
            return false;
        }

        if (info.LastWriteTimeUtc != _cached.Stamp)
        {
            var sidecars = new List<StoredSidecar>();
            DirectorySink.ReadFile(_sidecarFile, sidecars, new List<string>());
            _cached = (info.LastWriteTimeUtc, [.. sidecars.SelectMany(static s => SidecarHostPattern.EgressOf(s.Sidecar))]);
        }

        return _cached.Egress.Any(p => p.Matches(DemoTopology.Namespace, DemoTopology.Namespace, fqdn));
    }
}
