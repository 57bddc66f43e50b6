using LazyMesh.Kubernetes.Sink;
using LazyMesh.KubeTesting;
using Microsoft.Extensions.Time.Testing;

namespace LazyMesh.Tests.Kubernetes.Sink;

public sealed class WriteBudgetTests
{
    [Fact]
    public async Task The_bucket_grants_the_burst_then_the_rate()
    {
        var time = new FakeTimeProvider();
        var budget = new WriteBudget(20, null, time);
        var acquires = Enumerable.Range(0, 70).Select(_ => budget.AcquireAsync().AsTask()).ToList();
        Assert.Equal(20, acquires.Count(t => t.IsCompletedSuccessfully));
        for (var second = 1; second <= 3; second++)
        {
            await budget.WhenWaitingAsync();
            time.Advance(TimeSpan.FromSeconds(1));
            await WaitForGrantedAsync(budget, Math.Min(70, 20 + (20 * second)));
            Assert.Equal(Math.Min(70, 20 + (20 * second)), budget.Granted);
        }

        await Task.WhenAll(acquires);
    }

    [Fact]
    public async Task A_cold_start_of_200_workloads_never_exceeds_the_write_budget()
    {
        await using var server = await SinkHarness.StartServerAsync();
        var time = new FakeTimeProvider();
        var inventory = string.Join("\n---\n", Enumerable.Range(0, 200).Select(i => $$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: w{{i}}, namespace: shop, labels: {app: w{{i}} } }
            status: {phase: Running, podIP: 10.1.{{i / 250}}.{{(i % 250) + 1}}}
            """).Prepend(SinkHarness.Shop));
        // One sender at a time, so "blocked on the budget" is exactly "a waiter exists".
        using var replica = new SinkHarness(server, inventory, time, new KubernetesSinkOptions { MaxParallelism = 1 }, writesPerSecond: 20);
        foreach (var w in replica.Index.Workloads)
        {
            replica.Store.Learn(w.Key, "shop/cart.shop.svc.cluster.local", replica.Now);
        }

        var run = replica.ReconcileAllAsync();
        var windows = new List<long>();
        var writesBefore = server.Stats.Writes;
        var grantedBefore = replica.Budget.Granted;
        var before = grantedBefore;
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, budgetWaiting());
            if (run.IsCompleted)
            {
                break;
            }

            // Every sender is blocked on the budget: this fake second's grants are all in. (Counted at the
            // budget: a granted write can reach the server's counter after the window is sampled.)
            windows.Add(replica.Budget.Granted - before);
            before = replica.Budget.Granted;
            time.Advance(TimeSpan.FromSeconds(1));
        }

        await run;
        windows.Add(replica.Budget.Granted - before);
        Assert.All(windows, w => Assert.True(w <= 20, $"{w} writes in one second"));
        var writes = server.Stats.Writes - writesBefore;
        Assert.True(writes >= 600, $"{writes} writes");

        // Every write the server saw went through the budget. (The HTTP stack may transparently resend an
        // idempotent PUT whose connection broke under load: the server then counts it twice, the budget once.)
        var granted = replica.Budget.Granted - grantedBefore;
        Assert.InRange(writes, granted, granted + 3);
        Assert.True(windows.Count >= 30);

        async Task budgetWaiting()
        {
            await Task.WhenAny(replica.Budget.WhenWaitingAsync(), run);
        }
    }

    /// <summary>Waits, bounded, until the budget has granted <paramref name="expected"/> writes (grants land on other threads).</summary>
    private static async Task WaitForGrantedAsync(WriteBudget budget, long expected)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (10 * TimeProvider.System.TimestampFrequency);
        while (budget.Granted < expected)
        {
            Assert.True(TimeProvider.System.GetTimestamp() < deadline, $"only {budget.Granted} of {expected} writes granted after 10 s");
            await Task.Yield();
        }
    }
}
