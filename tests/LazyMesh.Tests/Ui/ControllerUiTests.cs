using System.Net;
using System.Text.Json.Nodes;
using Grpc.Net.Client;
using LazyMesh.Als.Envoy;
using LazyMesh.Tests.Support;
using static LazyMesh.Tests.Als.AlsTestMessages;

namespace LazyMesh.Tests.Ui;

/// <summary>The real controller process serves the page and the graph on its HTTP port.</summary>
public sealed class ControllerUiTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lazymesh-ctlui-" + Guid.NewGuid().ToString("N"));

    public ControllerUiTests()
    {
        Directory.CreateDirectory(_dir);
        File.Copy(Path.Combine(RepoPaths.RepositoryRoot, "examples", "bookinfo", "inventory.yaml"), Path.Combine(_dir, "inventory.yaml"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Controller_serves_ui_and_graph_with_edges_learned_from_sidecar_logs_and_the_fallback()
    {
        await using var controller = LazyMeshProcess.Start(
            "controller", "--inventory", Path.Combine(_dir, "inventory.yaml"), "--output-dir", Path.Combine(_dir, "out"),
            "--als-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0",
            "--als-peer-check", "None"); // the test streams from 127.0.0.1 on behalf of the inventory's pods
        var (als, http) = await controller.WaitForControllerReadyAsync();

        // productpage -> details from productpage's own sidecar; productpage -> reviews first through the fallback.
        await SendAsync(als, HttpMessage(
            Identifier("sidecar~10.244.1.10~productpage-v1-7d6cfb7dfd-5x9zq.bookinfo~bookinfo.svc.cluster.local"),
            Http("outbound|9080||details.bookinfo.svc.cluster.local", "details:9080", "10.244.1.10", "10.96.10.11", 9080)));
        await SendAsync(als, HttpMessage(
            Identifier("sidecar~10.244.9.9~lazymesh-fallback-0.lazymesh-system~lazymesh-system.svc.cluster.local", "lazymesh-fallback"),
            Http("outbound|9080||reviews.bookinfo.svc.cluster.local", "reviews:9080", "10.244.1.10", "10.244.9.9", 8080)));
        await controller.WaitForLineAsync("learned dependency bookinfo/Deployment/productpage-v1 -> bookinfo/reviews.bookinfo.svc.cluster.local");

        using var client = new HttpClient();
        var page = await client.GetAsync($"http://{http}/ui");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<svg id=\"graph\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal); // no external assets
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);

        var graph = JsonNode.Parse(await client.GetStringAsync($"http://{http}/api/v1/graph"))!;
        Assert.Equal("controller (files)", (string?)graph["source"]);
        var edges = graph["edges"]!.AsArray().Where(e => (string?)e!["from"] == "bookinfo/Deployment/productpage-v1").ToDictionary(e => (string)e!["to"]!, e => (string)e!["via"]!);
        Assert.Equal("sidecarLog", edges["bookinfo/details.bookinfo.svc.cluster.local"]);
        Assert.Equal("fallback", edges["bookinfo/reviews.bookinfo.svc.cluster.local"]);

        var metrics = await client.GetStringAsync($"http://{http}/metrics");
        Assert.Contains("lazymesh_fallback_entries_by_caller_total{namespace=\"bookinfo\",workload=\"Deployment/productpage-v1\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("lazymesh_write_queue_depth", metrics, StringComparison.Ordinal);
        Assert.Equal(0, await controller.TerminateAsync());
    }
}
