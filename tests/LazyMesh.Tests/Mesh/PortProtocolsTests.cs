using LazyMesh.Mesh;

namespace LazyMesh.Tests.Mesh;

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
    [InlineData("TCP", "http", "tcp-x", PortProtocol.Http)]
    [InlineData("TCP", "kubernetes.io/h2c", null, PortProtocol.Http2)]
    [InlineData("TCP", "kubernetes.io/ws", null, PortProtocol.Http)]
    [InlineData("TCP", "custom.io/thing", "grpc", PortProtocol.Grpc)]
    [InlineData("UDP", "http", "http", PortProtocol.Udp)]
    [InlineData("TCP", null, "tcp", PortProtocol.Tcp)]
    [InlineData(null, null, "metrics", PortProtocol.Unknown)]
    public void Service_port_prefers_udp_then_app_protocol_then_name(string? protocol, string? appProtocol, string? name, PortProtocol expected) =>
        Assert.Equal(expected, PortProtocols.FromServicePort(protocol, appProtocol, name));

    [Theory]
    [InlineData("HTTP", null, PortProtocol.Http)]
    [InlineData("GRPC-WEB", null, PortProtocol.GrpcWeb)]
    [InlineData("TLS", "http", PortProtocol.Tls)]
    [InlineData(null, "https-x", PortProtocol.Https)]
    [InlineData("THRIFT", "tcp", PortProtocol.Tcp)]
    [InlineData(null, null, PortProtocol.Unknown)]
    public void Service_entry_port_uses_its_protocol_field_then_name(string? protocol, string? name, PortProtocol expected) =>
        Assert.Equal(expected, PortProtocols.FromServiceEntryPort(new() { Number = 1, Protocol = protocol, Name = name }));
}
