using LazyMesh.Mesh;

namespace LazyMesh.Tests.Mesh;

/// <summary>
/// istio/istio <c>pkg/config/kube/conversion.go ConvertProtocol</c> (Services), <c>serviceentry/conversion.go convertPort</c>
/// (ServiceEntries), <c>pkg/config/protocol/instance.go Parse</c>; same in 1.22, 1.24 and 1.28.
/// </summary>
public sealed class PortProtocolsTests
{
    [Theory]
    [InlineData("http", PortProtocol.Http)]
    [InlineData("http-web", PortProtocol.Http)]
    [InlineData("HTTP-web", PortProtocol.Http)]
    [InlineData("http2", PortProtocol.Http2)]
    [InlineData("http2-x", PortProtocol.Http2)]
    [InlineData("grpc", PortProtocol.Grpc)]
    [InlineData("grpc-api", PortProtocol.Grpc)]
    [InlineData("grpc-web", PortProtocol.GrpcWeb)]
    [InlineData("grpc-web-x", PortProtocol.GrpcWeb)]
    [InlineData("grpc-webx", PortProtocol.GrpcWeb)]
    [InlineData("GRPC-Web", PortProtocol.GrpcWeb)]
    [InlineData("https", PortProtocol.Https)]
    [InlineData("tls-x", PortProtocol.Tls)]
    [InlineData("tcp", PortProtocol.Tcp)]
    [InlineData("mongo", PortProtocol.Mongo)]
    [InlineData("mysql-main", PortProtocol.Mysql)]
    [InlineData("redis", PortProtocol.Redis)]
    [InlineData("udp-dns", PortProtocol.Udp)]
    [InlineData("httpx", PortProtocol.Unknown)]
    [InlineData("web", PortProtocol.Unknown)]
    [InlineData("grpcweb", PortProtocol.Unknown)]
    [InlineData("", PortProtocol.Unknown)]
    [InlineData(null, PortProtocol.Unknown)]
    public void Port_name_prefix(string? name, PortProtocol expected) => Assert.Equal(expected, PortProtocols.FromPortName(name));

    [Theory]
    [InlineData(9080, "TCP", "http", "tcp-x", PortProtocol.Http)]
    [InlineData(9080, "TCP", "http-x", null, PortProtocol.Http)]
    [InlineData(9080, "TCP", "kubernetes.io/h2c", null, PortProtocol.Http2)]
    [InlineData(9080, "TCP", "kubernetes.io/ws", null, PortProtocol.Http)]
    [InlineData(9080, "TCP", "kubernetes.io/wss", null, PortProtocol.Https)]
    [InlineData(9080, "UDP", "http", "http", PortProtocol.Udp)]
    [InlineData(9080, "TCP", null, "tcp", PortProtocol.Tcp)]
    [InlineData(9080, null, null, "metrics", PortProtocol.Unknown)]
    public void Service_port_prefers_udp_then_app_protocol_then_name(int port, string? protocol, string? appProtocol, string? name, PortProtocol expected) =>
        Assert.Equal(expected, PortProtocols.FromServicePort(port, protocol, appProtocol, name));

    [Theory]
    [InlineData(9080, "custom.io/thing", "grpc", PortProtocol.Unknown)]
    [InlineData(9080, "HTTP", "tcp", PortProtocol.Http)]
    [InlineData(9080, "Kubernetes.io/h2c", "grpc", PortProtocol.Unknown)]
    [InlineData(3306, "custom.io/thing", "grpc", PortProtocol.Tcp)]
    public void An_unknown_app_protocol_never_falls_back_to_the_port_name(int port, string appProtocol, string name, PortProtocol expected) =>
        Assert.Equal(expected, PortProtocols.FromServicePort(port, "TCP", appProtocol, name));

    [Theory]
    [InlineData(25, null, PortProtocol.Tcp)]
    [InlineData(53, "dns", PortProtocol.Tcp)]
    [InlineData(3306, "db", PortProtocol.Tcp)]
    [InlineData(27017, null, PortProtocol.Tcp)]
    [InlineData(3306, "http", PortProtocol.Http)]
    [InlineData(3307, null, PortProtocol.Unknown)]
    public void Well_known_ports_without_a_protocol_are_tcp(int port, string? name, PortProtocol expected) =>
        Assert.Equal(expected, PortProtocols.FromServicePort(port, "TCP", null, name));

    [Theory]
    [InlineData("HTTP", null, PortProtocol.Http)]
    [InlineData("GRPC-WEB", null, PortProtocol.GrpcWeb)]
    [InlineData("TLS", "http", PortProtocol.Tls)]
    [InlineData(null, "https-x", PortProtocol.Unknown)]
    [InlineData("THRIFT", "tcp", PortProtocol.Unknown)]
    [InlineData(null, null, PortProtocol.Unknown)]
    public void Service_entry_port_uses_only_its_protocol_field(string? protocol, string? name, PortProtocol expected) =>
        Assert.Equal(expected, PortProtocols.FromServiceEntryPort(new() { Number = 3306, Protocol = protocol, Name = name }));
}
