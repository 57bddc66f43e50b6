namespace LazyMesh.Mesh;

/// <summary>One port of a destination, as an outbound Envoy cluster sees it.</summary>
public sealed record MeshServicePort(int Port, string? Name, PortProtocol Protocol, int ReadyEndpoints)
{
    /// <summary>True when Istio builds an outbound HTTP route configuration for this port (HTTP family or sniffed).</summary>
    /// <summary>The workload's port for this service port when known by number (a Service's numeric <c>targetPort</c>, else its port).</summary>
    public int? TargetPort { get; init; }

    public bool HasHttpRoutes => Protocol is PortProtocol.Http or PortProtocol.Http2 or PortProtocol.Grpc or PortProtocol.GrpcWeb or PortProtocol.Unknown;
}
