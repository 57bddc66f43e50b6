using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using static LazyMesh.Tests.KubeTesting.KubeTestServerFixture;

namespace LazyMesh.Tests.KubeTesting;

public sealed class KubeTestServerLeaderElectionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Two_candidates_elect_one_leader_and_fail_over_when_it_stops_renewing()
    {
        await using var server = await StartAsync();
        using var clientA = server.CreateClient();
        using var clientB = server.CreateClient();
        var (electorA, startedA, stoppedA, _) = Candidate(clientA, "a");
        var (electorB, startedB, _, observedByB) = Candidate(clientB, "b");
        using var runA = new CancellationTokenSource();
        using var runB = new CancellationTokenSource();

        var taskA = electorA.RunUntilLeadershipLostAsync(runA.Token);
        await startedA.Task.WaitAsync(Deadline);
        var taskB = electorB.RunUntilLeadershipLostAsync(runB.Token);

        // B sees A as the leader and does not lead itself.
        Assert.Equal("a", await observedByB.Task.WaitAsync(Deadline));
        Assert.False(electorB.IsLeader());
        Assert.False(startedB.Task.IsCompleted);
        Assert.Equal("a", (await clientA.CoordinationV1.ReadNamespacedLeaseAsync("lazymesh-leader", "default")).Spec.HolderIdentity);

        // A stops renewing; once its lease expires B takes over.
        await runA.CancelAsync();
        await stoppedA.Task.WaitAsync(Deadline);
        await startedB.Task.WaitAsync(Deadline);
        Assert.True(electorB.IsLeader());
        var lease = await clientB.CoordinationV1.ReadNamespacedLeaseAsync("lazymesh-leader", "default");
        Assert.Equal("b", lease.Spec.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);

        await runB.CancelAsync();
        await Task.WhenAll(Swallow(taskA), Swallow(taskB));
    }

    private static (LeaderElector Elector, TaskCompletionSource Started, TaskCompletionSource Stopped, TaskCompletionSource<string> FirstOtherLeader) Candidate(k8s.Kubernetes client, string identity)
    {
        var config = new LeaderElectionConfig(new LeaseLock(client, "default", "lazymesh-leader", identity))
        {
            LeaseDuration = TimeSpan.FromSeconds(1),
            RenewDeadline = TimeSpan.FromMilliseconds(800),
            RetryPeriod = TimeSpan.FromMilliseconds(100),
        };
        var elector = new LeaderElector(config);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var other = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        elector.OnStartedLeading += () => started.TrySetResult();
        elector.OnStoppedLeading += () => stopped.TrySetResult();
        elector.OnNewLeader += leader =>
        {
            if (leader != identity)
            {
                other.TrySetResult(leader);
            }
        };
        return (elector, started, stopped, other);
    }

    private static async Task Swallow(Task run)
    {
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
            // Expected when a candidate's run is cancelled.
        }
    }
}
