using LazyMesh.Mesh;
using static LazyMesh.Tests.Mesh.MeshYaml;

namespace LazyMesh.Tests.Mesh;

public sealed class ServiceIndexTests
{
    private static readonly MeshIndex Shop = Index(
        Pod("web-a", "10.0.0.1", ns: "shop", labels: "{app: web}"),
        Pod("web-b", "10.0.0.2", ns: "shop", labels: "{app: web}", ready: false),
        Pod("web-c", "10.0.0.3", ns: "shop", labels: "{app: web}", phase: "Succeeded", ready: false),
        Pod("db-0", "10.0.0.10", ns: "shop", labels: "{app: db}", ports: "[{name: pg, containerPort: 5432}]"),
        Pod("db-1", "10.0.0.11", ns: "shop", labels: "{app: db}", ports: "[{name: pg, containerPort: 5432}]", ready: false),
        Service("web", "10.96.0.1", ns: "shop", ports: "[{name: http, port: 80, targetPort: 8080}, {name: grpc-api, port: 9090}]"),
        Service("dual", "10.96.0.2", ns: "shop", selector: null, ports: "[{name: tcp, port: 5000}]", extra: ", clusterIPs: [10.96.0.2, \"fd00:96::2\"]"),
        Service("db", "None", ns: "shop", selector: "{app: db}", ports: "[{name: tcp-pg, port: 15432, targetPort: pg}]"),
        Service("legacy", null, ns: "shop", selector: null, type: "ExternalName", ports: "[]", extra: ", externalName: legacy.example.com"),
        Service("web", "10.96.1.1", ns: "other"),
        ServiceEntry("ext", "[api.example.com, \"*.example.com\", \"*.eu.example.com\"]", ns: "shop", addresses: "[192.0.2.10, 198.51.100.0/24, \"2001:db8::/32\"]"),
        ServiceEntry("static", "[pay.internal]", ns: "shop", ports: "[{number: 8443, name: https}]", resolution: "STATIC", endpoints: "[{address: 192.0.2.1}, {address: 192.0.2.2}]"),
        ServiceEntry("none", "[raw.internal]", ns: "shop", ports: "[{number: 9000, name: mongo-x}]", resolution: "NONE"));

    [Fact]
    public void Cluster_ip_and_port_find_the_service_and_other_ports_do_not()
    {
        var service = Shop.FindByAddress(Ip("10.96.0.1"), 80);

        Assert.NotNull(service);
        Assert.Equal("shop/web.shop.svc.cluster.local", service.SidecarHost);
        Assert.Equal(MeshServiceKind.Service, service.Kind);
        Assert.Same(service, Shop.FindByAddress(Ip("10.96.0.1"), 9090));
        Assert.Null(Shop.FindByAddress(Ip("10.96.0.1"), 8080));
    }

    [Fact]
    public void Dual_stack_cluster_ips_are_all_indexed()
    {
        var service = Shop.FindByAddress(Ip("fd00:96::2"), 5000);

        Assert.Equal("dual", service?.Name);
        Assert.Same(service, Shop.FindByAddress(Ip("10.96.0.2"), 5000));
        Assert.Equal(2, service!.Addresses.Count);
    }

    [Fact]
    public void Ports_carry_istio_protocols_and_ready_endpoint_counts()
    {
        var web = Shop.FindByHost("web.shop.svc.cluster.local")!;

        Assert.Equal([(80, PortProtocol.Http, 1), (9090, PortProtocol.Grpc, 1)], web.Ports.Select(p => (p.Port, p.Protocol, p.ReadyEndpoints)));
        Assert.Equal(0, Shop.FindByHost("dual.shop.svc.cluster.local")!.Ports[0].ReadyEndpoints);
    }

    [Fact]
    public void Headless_service_is_found_by_its_ready_pods_ip_and_target_port()
    {
        var byTargetPort = Shop.FindByAddress(Ip("10.0.0.10"), 5432);

        Assert.Equal(MeshServiceKind.HeadlessService, byTargetPort?.Kind);
        Assert.Equal("db", byTargetPort!.Name);
        Assert.Same(byTargetPort, Shop.FindByAddress(Ip("10.0.0.10"), 15432));
        Assert.Null(Shop.FindByAddress(Ip("10.0.0.11"), 5432));
        Assert.Empty(byTargetPort.Addresses);
        Assert.Same(byTargetPort, Shop.FindByHost("db-0.db.shop.svc.cluster.local"));
    }

    [Fact]
    public void External_name_service_is_its_own_kind()
    {
        var legacy = Shop.ResolveName("legacy", "shop");

        Assert.Equal(MeshServiceKind.ExternalNameService, legacy?.Kind);
        Assert.Equal("legacy.example.com", legacy!.ExternalName);
    }

    [Theory]
    [InlineData("web", "shop", "shop")]
    [InlineData("web:80", "shop", "shop")]
    [InlineData("web", "other", "other")]
    [InlineData("web.shop", "other", "shop")]
    [InlineData("web.shop:8080", "other", "shop")]
    [InlineData("web.shop.svc", "other", "shop")]
    [InlineData("web.shop.svc.cluster.local", "other", "shop")]
    [InlineData("web.shop.svc.cluster.local.", "other", "shop")]
    [InlineData("WEB.Shop.SVC.cluster.local:80", "", "shop")]
    [InlineData("web.other", "", "other")]
    public void Resolves_every_kubernetes_name_form(string authority, string callerNamespace, string expectedNamespace)
    {
        var service = Shop.ResolveName(authority, callerNamespace);

        Assert.NotNull(service);
        Assert.Equal("web", service.Name);
        Assert.Equal(expectedNamespace, service.Namespace);
    }

    [Theory]
    [InlineData("web", "")]
    [InlineData("db.nowhere", "shop")]
    [InlineData("web.shop.svc.cluster", "shop")]
    [InlineData("", "shop")]
    [InlineData("web:notaport", "shop")]
    [InlineData("example.com", "shop")]
    public void Unknown_names_resolve_to_nothing(string authority, string callerNamespace) =>
        Assert.Null(Shop.ResolveName(authority, callerNamespace));

    [Theory]
    [InlineData("10.96.0.1:80", "web")]
    [InlineData("10.96.0.1", "web")]
    [InlineData("[fd00:96::2]:5000", "dual")]
    [InlineData("192.0.2.10:443", "ext")]
    public void Ip_literal_authorities_go_through_the_address_index(string authority, string expectedName) =>
        Assert.Equal(expectedName, Shop.ResolveName(authority, "shop")?.Name);

    [Fact]
    public void Ip_literal_authority_with_an_unknown_port_resolves_to_nothing() =>
        Assert.Null(Shop.ResolveName("10.96.0.1:81", "shop"));

    [Theory]
    [InlineData("api.example.com", "api.example.com")]
    [InlineData("API.Example.com", "api.example.com")]
    [InlineData("www.example.com", "*.example.com")]
    [InlineData("a.b.example.com", "*.example.com")]
    [InlineData("fr.eu.example.com", "*.eu.example.com")]
    [InlineData("x.y.eu.example.com", "*.eu.example.com")]
    public void Service_entry_hosts_match_exactly_then_by_most_specific_wildcard(string host, string expectedHost)
    {
        Assert.Equal(expectedHost, Shop.FindByHost(host)?.Host);
        Assert.Equal(expectedHost, Shop.ResolveName(host + ":443", "shop")?.Host);
    }

    [Fact]
    public void Wildcard_does_not_match_its_apex() => Assert.Null(Shop.FindByHost("example.com"));

    [Fact]
    public void Service_entry_addresses_match_exactly_and_by_cidr_on_their_ports()
    {
        Assert.Equal("api.example.com", Shop.FindByAddress(Ip("192.0.2.10"), 443)?.Host);
        Assert.Equal("ext", Shop.FindByAddress(Ip("198.51.100.77"), 443)?.Name);
        Assert.Equal("ext", Shop.FindByAddress(Ip("2001:db8:1::5"), 443)?.Name);
        Assert.Null(Shop.FindByAddress(Ip("198.51.101.1"), 443));
        Assert.Null(Shop.FindByAddress(Ip("198.51.100.77"), 80));
    }

    [Fact]
    public void Service_entry_ports_and_endpoints_follow_protocol_and_resolution()
    {
        var ext = Shop.FindByHost("api.example.com")!;
        var pay = Shop.FindByHost("pay.internal")!;
        var raw = Shop.FindByHost("raw.internal")!;

        Assert.Equal(MeshServiceKind.ServiceEntry, ext.Kind);
        Assert.Equal("shop/api.example.com", ext.SidecarHost);
        Assert.Equal((443, PortProtocol.Tls, 1), (ext.Ports[0].Port, ext.Ports[0].Protocol, ext.Ports[0].ReadyEndpoints));
        // A ServiceEntry port's name is never read (istio/istio serviceentry/conversion.go convertPort: protocol.Parse(port.Protocol)).
        Assert.Equal((PortProtocol.Unknown, 2), (pay.Ports[0].Protocol, pay.Ports[0].ReadyEndpoints));
        Assert.Equal((PortProtocol.Unknown, 0), (raw.Ports[0].Protocol, raw.Ports[0].ReadyEndpoints));
    }

    [Fact]
    public void Services_are_listed_services_first_then_service_entry_hosts()
    {
        Assert.Equal(
            ["other/web.other.svc.cluster.local", "shop/db.shop.svc.cluster.local", "shop/dual.shop.svc.cluster.local", "shop/legacy.shop.svc.cluster.local",
             "shop/web.shop.svc.cluster.local", "shop/api.example.com", "shop/*.example.com", "shop/*.eu.example.com", "shop/raw.internal", "shop/pay.internal"],
            Shop.Services.Select(s => s.SidecarHost));
    }

    [Fact]
    public void Cluster_domain_is_configurable()
    {
        var index = Index(new MeshOptions { ClusterDomain = "corp.local" }, Service("web", "10.96.0.1"));

        Assert.Equal("web.default.svc.corp.local", index.Services[0].Host);
        Assert.NotNull(index.ResolveName("web.default.svc", "x"));
        Assert.Null(index.FindByHost("web.default.svc.cluster.local"));
    }

    [Fact]
    public void Conflicting_addresses_and_hosts_keep_the_first_and_warn()
    {
        var index = Index(
            Service("a", "10.96.0.1", ports: "[{port: 80}]"),
            Service("b", "10.96.0.1", ports: "[{port: 80}]"),
            ServiceEntry("se", "[a.default.svc.cluster.local]"));

        Assert.Equal("a", index.FindByAddress(Ip("10.96.0.1"), 80)?.Name);
        Assert.Equal(MeshServiceKind.Service, index.FindByHost("a.default.svc.cluster.local")?.Kind);
        Assert.Equal(2, index.Warnings.Count);
    }
}
