using LazyMesh.Mesh;

namespace LazyMesh.Fallback;

/// <summary>Where the fallback sends one call, and how it names it.</summary>
/// <param name="Service">The mesh destination.</param>
/// <param name="Port">The service port the caller meant.</param>
/// <param name="UpstreamHost">What to connect to: the ClusterIP, the original destination IP, or a DNS name (headless, ServiceEntry).</param>
/// <param name="UpstreamPort">The port to connect to.</param>
/// <param name="HostHeader">The Host / :authority to send, so the fallback's own sidecar picks the service's virtual host.</param>
/// <param name="Cluster">Istio's outbound cluster name, <c>outbound|port||host</c>, as reported to the controller.</param>
public sealed record FallbackDestination(MeshService Service, int Port, string UpstreamHost, int UpstreamPort, string HostHeader, string Cluster);
