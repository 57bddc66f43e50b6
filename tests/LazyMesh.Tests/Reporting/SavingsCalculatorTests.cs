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
        Assert.Equal(new ImportFootprint(3, 5, 3 + 3 + 1 + 2 + 2, 3, EnvoyCostModel.Default.Estimate(5, 11), EnvoyCostModel.Default.PushBytes(5)), row.Full);
        Assert.Equal(new ImportFootprint(2, 4, 3 + 3 + 2 + 2, 3, EnvoyCostModel.Default.Estimate(4, 10), EnvoyCostModel.Default.PushBytes(4)), row.Scoped);
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

    [Fact]
    public void Totals_count_every_pod_and_the_pushes_a_service_change_no_longer_causes()
    {
        var services = new List<MeshService>
        {
            Svc("shop", "cart", 2, (8080, PortProtocol.Http)),
            Svc("shop", "db", 1, (5432, PortProtocol.Tcp)),
        };
        var web = TestWorkloadWithPods("web", "frontend", 3, finished: 1);
        var report = SavingsCalculator.Compute(services, [(web, "lazymesh-frontend", [P("shop/cart.shop.svc.cluster.local")])]);

        var row = Assert.Single(report.Workloads);
        Assert.Equal(3, row.Pods); // the Succeeded pod runs no proxy
        Assert.Equal(3, report.Pods);
        Assert.Equal(row.Full.EstimatedMemoryBytes * 3, report.ProxiesFull.EstimatedMemoryBytes);
        Assert.Equal(row.Scoped.EstimatedMemoryBytes * 3, report.ProxiesScoped.EstimatedMemoryBytes);

        // A change of cart pushes to all 3 proxies either way; a change of db no longer pushes to any of them.
        Assert.Equal(2, report.Pushes.Services);
        Assert.Equal(3.0, report.Pushes.ProxiesPushedPerServiceChangeFull);
        Assert.Equal(1.5, report.Pushes.ProxiesPushedPerServiceChangeScoped);
        Assert.Equal(1.5, report.Pushes.PushesSavedPerServiceChange);
        Assert.Equal(3.0 * EnvoyCostModel.Default.PushBytes(2), report.Pushes.BytesPerServiceChangeFull);
        Assert.Equal(3.0 * EnvoyCostModel.Default.PushBytes(1) / 2, report.Pushes.BytesPerServiceChangeScoped);
    }

    [Fact]
    public void Default_figures_are_the_ones_the_cited_sources_state()
    {
        // envoyproxy/envoy test/integration/stats_integration_test.cc: last exact golden values per cluster and per host.
        Assert.Equal(40577, EnvoyCostModel.Default.BytesPerCluster);
        Assert.Equal(1380, EnvoyCostModel.Default.BytesPerEndpoint);
        // istio/istio#39652: CDS 3.5MB/3186, LDS 2.8MB + RDS 2.1MB over the same 3186 clusters, EDS 755.0kB/2979.
        Assert.Equal((3_500_000 / 3186) + (4_900_000 / 3186) + (755_000 / 2979), EnvoyCostModel.Default.PushBytesPerCluster);
    }

    [Fact]
    public void Cost_model_file_overrides_what_it_names_and_keeps_the_rest()
    {
        var model = EnvoyCostModelFile.Parse("bytesPerCluster: 100000\nsource: measured on our staging mesh, 2026-11\n", "costs.yaml");
        Assert.Equal(100000, model.BytesPerCluster);
        Assert.Equal(EnvoyCostModel.Default.BytesPerEndpoint, model.BytesPerEndpoint);
        Assert.Equal("measured on our staging mesh, 2026-11", model.Source);

        var json = EnvoyCostModelFile.Parse("{\"pushBytesPerCluster\": 5000}", "costs.json");
        Assert.Equal(5000, json.PushBytesPerCluster);
        Assert.Contains("costs.json", json.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bytesPerCluster: -1", "bytesPerCluster must be a positive integer")]
    [InlineData("bytesPerCluser: 5", "unknown field 'bytesPerCluser'")]
    [InlineData("bytesPerEndpoint: lots", "bytesPerEndpoint must be a positive integer")]
    [InlineData("- 1", "expected a mapping")]
    public void Bad_cost_model_file_names_the_field(string text, string expected)
    {
        var ex = Assert.Throws<InvalidDataException>(() => EnvoyCostModelFile.Parse(text, "costs.yaml"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("costs.yaml", ex.Message, StringComparison.Ordinal);
    }

    private static Workload TestWorkloadWithPods(string ns, string name, int running, int finished)
    {
        var workload = new Workload(ns, WorkloadKind.Deployment, name);
        var pods = Enumerable.Range(0, running + finished).Select(i => new PodInfo
        {
            Namespace = ns,
            Name = $"{name}-{i}",
            Ips = [],
            Phase = i < running ? "Running" : "Succeeded",
            Workload = workload,
        }).ToList();
        workload.Pods = pods;
        return workload;
    }
}
