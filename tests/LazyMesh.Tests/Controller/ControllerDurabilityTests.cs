using System.Net;
using Grpc.Net.Client;
using LazyMesh.Als.Envoy;
using LazyMesh.Controller;
using LazyMesh.Controller.Files;
using LazyMesh.Learning;
using LazyMesh.Tests.Support;
using Microsoft.Extensions.Logging;
using static LazyMesh.Tests.Als.AlsTestMessages;

namespace LazyMesh.Tests.Controller;

/// <summary>The controller in-process on a disk that fails on demand (issue 11, "nothing learned is ever lost").</summary>
public sealed class ControllerDurabilityTests : IDisposable
{
    private const string ProductpageIp = "10.244.1.10";
    private const string ProductpageNode = "sidecar~10.244.1.10~productpage-v1-7d6cfb7dfd-5x9zq.bookinfo~bookinfo.svc.cluster.local";
    private const string Details = "outbound|9080||details.bookinfo.svc.cluster.local";
    private const string DetailsHost = "bookinfo/details.bookinfo.svc.cluster.local";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lazymesh-durable-" + Guid.NewGuid().ToString("N"));

    public ControllerDurabilityTests()
    {
        Directory.CreateDirectory(_dir);
        File.Copy(Path.Combine(RepoPaths.RepositoryRoot, "examples", "bookinfo", "inventory.yaml"), Path.Combine(_dir, "inventory.yaml"));
    }

    private string Output => Path.Combine(_dir, "out");

    private string ProductpageSidecar => Path.Combine(Output, "bookinfo", "lazymesh-productpage-v1.yaml");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("enospc")]
    [InlineData("eio")]
    public async Task A_refused_journal_append_keeps_the_edge_queued_and_out_of_every_sidecar_until_it_is_recorded(string failure)
    {
        var faults = new FaultInjectingFileSystem();
        var logs = new RecordingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        var controller = new LazyMeshController(
            new ControllerOptions
            {
                InventoryPaths = [Path.Combine(_dir, "inventory.yaml")],
                OutputDirectory = Output,
                MinWriteInterval = TimeSpan.FromMilliseconds(20),
                StateFileSystem = faults,
            },
            loggerFactory);
        await using (controller)
        {
            await controller.StartAsync();
            faults.FailWrites = failure == "enospc";
            faults.FailSyncs = failure == "eio";
            await SendAsync(controller.AlsEndPoint);
            await logs.WaitForAsync("recording 1 learned dependencies in the journal failed");

            // Learned, but neither journaled nor shown: the Sidecar does not get ahead of the record.
            Assert.Equal(1, controller.Store.EdgeCount);
            Assert.DoesNotContain(DetailsHost, await File.ReadAllTextAsync(ProductpageSidecar));
            Assert.True(((JournalState)controller.Mode.State).Stats.AppendFailures >= 1);
            using (var http = new HttpClient())
            {
                var metrics = await http.GetStringAsync($"http://{controller.HttpEndPoint}/metrics");
                Assert.Matches("lazymesh_journal_failures_total\\{operation=\"append\"\\} [1-9]", metrics);
                Assert.Contains("lazymesh_journal_unrecorded_edges 1", metrics);
            }

            // The disk recovers: the retry records the edge, then writes it.
            faults.FailWrites = false;
            faults.FailSyncs = false;
            await logs.WaitForAsync(@"wrote Sidecar bookinfo/lazymesh-productpage-v1 \(1 learned hosts");
            Assert.Contains(DetailsHost, await File.ReadAllTextAsync(ProductpageSidecar));
            var learnedAt = logs.Messages.ToList().FindIndex(m => m.StartsWith("learned dependency", StringComparison.Ordinal));
            var writtenAt = logs.Messages.ToList().FindIndex(m => m.Contains("(1 learned hosts", StringComparison.Ordinal));
            Assert.InRange(learnedAt, 0, writtenAt);
        }

        // Only complete records on disk: the restart restores exactly the edge, with no torn tail to cut.
        var store = new DependencyStore();
        using var journal = DependencyJournal.Open(Path.Combine(Output, ".lazymesh"), store, out var loaded);
        Assert.Empty(loaded.Problems);
        Assert.Equal([DetailsHost], store.Find("bookinfo/Deployment/productpage-v1")!.Snapshot().Select(h => h.Host));
    }

    [Fact]
    public async Task A_failed_snapshot_at_shutdown_is_logged_and_the_journal_still_restores_everything()
    {
        var faults = new FaultInjectingFileSystem();
        var logs = new RecordingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        var controller = new LazyMeshController(
            new ControllerOptions { InventoryPaths = [Path.Combine(_dir, "inventory.yaml")], OutputDirectory = Output, StateFileSystem = faults },
            loggerFactory);
        await using (controller)
        {
            await controller.StartAsync();
            await SendAsync(controller.AlsEndPoint);
            await logs.WaitForAsync(@"wrote Sidecar bookinfo/lazymesh-productpage-v1 \(1 learned hosts");
            faults.FailReplace = true;
        }

        Assert.Contains(logs.Messages, m => m.StartsWith("writing the learned-state snapshot failed", StringComparison.Ordinal));
        Assert.Equal(1, ((JournalState)controller.Mode.State).Stats.CompactionFailures);
        var store = new DependencyStore();
        using var journal = DependencyJournal.Open(Path.Combine(Output, ".lazymesh"), store, out _);
        Assert.Equal(1, store.EdgeCount);
    }

    private static async Task SendAsync(IPEndPoint als)
    {
        using var channel = GrpcChannel.ForAddress($"http://{als}");
        using var call = new AccessLogService.AccessLogServiceClient(channel).StreamAccessLogs();
        await call.RequestStream.WriteAsync(HttpMessage(Identifier(ProductpageNode), Http(Details, "details:9080", ProductpageIp, "10.96.10.11", 9080)));
        await call.RequestStream.CompleteAsync();
        await call.ResponseAsync;
    }
}
