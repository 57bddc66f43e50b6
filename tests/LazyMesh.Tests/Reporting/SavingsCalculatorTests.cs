using LazyMesh.Istio;
using LazyMesh.Mesh;
using LazyMesh.Reporting;

namespace LazyMesh.Tests.Reporting;

public sealed class SavingsCalculatorTests
{
    private static MeshService Svc(string ns, string name, int endpoints, params (int Port, PortProtocol Protocol)[] ports) =>
        new(ns, name, $"{name}.{ns}.svc.cluster.local", MeshServiceKind.Service)
        {
            Ports = [.. ports.Select(p => new MeshServicePort(p.Port, null, p.Protocol, endpoints))],
        };

    private static SidecarHostPattern P(string text)
    {
        Assert.True(SidecarHostPattern.TryParse(text, out var p, out _));
        return p;
    }

    [Fact]
    public void Counts_clusters_endpoints_and_vhosts_full_and_scoped()
    {
        var services = new List<MeshService>
        {
            Svc("shop", "cart", 3, (8080, PortProtocol.Http), (9090, PortProtocol.Grpc)),
            Svc("shop", "db", 1, (5432, PortProtocol.Tcp)),
            Svc("istio-system", "istiod", 2, (15012, PortProtocol.Tcp), (15014, PortProtocol.Http)),
            new("ext", "api", "api.example.com", MeshServiceKind.ServiceEntry)
            {
                Ports = [new MeshServicePort(443, "tls", PortProtocol.Tls, 1)],
                ExportTo = ["."],
            },
        };
        var web = new Workload("web", WorkloadKind.Deployment, "frontend");

        var report = SavingsCalculator.Compute(
            services,
            [(web, "lazymesh-frontend", [P("istio-system/*"), P("shop/cart.shop.svc.cluster.local")])]);

        var row = Assert.Single(report.Workloads);
        // The ServiceEntry is exported only to its own namespace: not visible from "web".
        Assert.Equal(new ImportFootprint(3, 5, 3 + 3 + 1 + 2 + 2, 3, EnvoyCostModel.Default.Estimate(5, 11)), row.Full);
        Assert.Equal(new ImportFootprint(2, 4, 3 + 3 + 2 + 2, 3, EnvoyCostModel.Default.Estimate(4, 10)), row.Scoped);
        Assert.Equal(20.0, report.ClusterReductionPercent);
    }

    [Fact]
    public void Workload_without_sidecar_saves_nothing()
    {
        var services = new List<MeshService> { Svc("a", "x", 1, (80, PortProtocol.Http)) };
        var report = SavingsCalculator.Compute(services, [(new Workload("a", WorkloadKind.Pod, "p"), null, null)]);
        Assert.Equal(report.TotalFull, report.TotalScoped);
        Assert.Equal(0, report.MemoryReductionPercent);
    }
}
