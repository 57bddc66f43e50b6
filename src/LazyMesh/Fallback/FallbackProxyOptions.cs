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

    /// <summary>The fallback's own Service, for loop detection.</summary>
    public FallbackRoutingOptions Routing { get; set; } = FallbackRoutingOptions.Default;
}
