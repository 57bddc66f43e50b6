namespace LazyMesh.Mesh;

/// <summary>
/// Istio's protocol selection for a service port: <c>appProtocol</c> first, then the port name's
/// prefix (<c>http</c>, <c>http-*</c>, <c>grpc</c>, ...); <see cref="Unknown"/> means Istio sniffs it.
/// </summary>
public enum PortProtocol
{
    Unknown,
    Http,
    Http2,
    Grpc,
    GrpcWeb,
    Https,
    Tls,
    Tcp,
    Mongo,
    Mysql,
    Redis,
    Udp,
}
