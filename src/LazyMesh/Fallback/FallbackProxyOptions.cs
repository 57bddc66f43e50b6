using System.Net;
using LazyMesh.Routing;

namespace LazyMesh.Fallback;

public sealed class FallbackProxyOptions
{
    /// <summary>The proxy port: HTTP/1.1 and h2c (prior knowledge) on one cleartext endpoint. Port 0 picks a free port.</summary>
    public IPEndPoint Listen { get; set; } = new(IPAddress.Any, FallbackRoutingOptions.DefaultTargetPort);

    /// <summary><c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>. Port 0 picks a free port.</summary>
    public IPEndPoint AdminListen { get; set; } = new(IPAddress.Any, FallbackRoutingOptions.DefaultTargetPort + 1);

    /// <summary>
    /// YARP's activity timeout: a forwarded call fails with 504 when neither side sends data for this long
    /// (reset by every read and write, so long streams live on).
    /// </summary>
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Connecting to the upstream fails after this long.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Where the caller's identity comes from (docs/security.md, "Identity").</summary>
    public FallbackCallerIdentity CallerIdentity { get; set; } = FallbackCallerIdentity.ClientCertificate;

    /// <summary>Evaluate the destination's AuthorizationPolicies for the real caller and answer 403 where Istio would.</summary>
    public bool EnforceAuthorization { get; set; } = true;

    /// <summary>Istio's root namespace (MeshConfig <c>rootNamespace</c>): its AuthorizationPolicies apply mesh-wide.</summary>
    public string RootNamespace { get; set; } = "istio-system";

    /// <summary>
    /// Allow destinations on loopback or unspecified addresses (<c>localhost</c>, 127.0.0.0/8, ::1). Off in a mesh: such a
    /// destination is the fallback's own pod, never a mesh service. The demo, whose "cluster" lives on 127.0.0.x, turns it on.
    /// </summary>
    public bool AllowLoopbackDestinations { get; set; }

    /// <summary>
    /// A connection whose first bytes (an HTTP/1.1 request line or the h2c preface) have not arrived after this long is
    /// closed; also Kestrel's <c>RequestHeadersTimeout</c>, whose default (30 s) it matches.
    /// </summary>
    public TimeSpan FirstReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Open connections at most (Kestrel <c>MaxConcurrentConnections</c>); further ones are closed at once.</summary>
    public long MaxConnections { get; set; } = 10_000;

    /// <summary>The fallback's own Service, for loop detection.</summary>
    public FallbackRoutingOptions Routing { get; set; } = FallbackRoutingOptions.Default;
}
