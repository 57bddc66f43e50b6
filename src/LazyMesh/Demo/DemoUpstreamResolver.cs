using LazyMesh.Fallback;

namespace LazyMesh.Demo;

/// <summary>The demo's kube-proxy: a Service's ClusterIP:port becomes one of its pods' IP:targetPort, round robin.</summary>
public sealed class DemoUpstreamResolver(DemoTopology topology) : IUpstreamResolver
{
    private int _next;

    public (string Host, int Port) Resolve(FallbackDestination destination)
    {
        var pods = topology.PodsOf(destination.Service.Name);
        if (pods.Count == 0)
        {
            return (destination.UpstreamHost, destination.UpstreamPort);
        }

        var pod = pods[(int)((uint)Interlocked.Increment(ref _next) % (uint)pods.Count)];
        return (pod.Ip.ToString(), topology.PodPort);
    }
}
