using LazyMesh.Kubernetes.State;
using LazyMesh.Learning;

namespace LazyMesh.Tests.Kubernetes.State;

/// <summary>Which workloads the leader's expiry sweep queues: those with learned hosts, here or in status.</summary>
public sealed class LearnedStatusTests
{
    [Fact]
    public void Only_workloads_with_learned_hosts_here_or_in_status_have_anything_to_age()
    {
        var learned = new LearnedStatus(new DependencyStore());
        learned.Store.Learn("shop/Deployment/web", "shop/cart.shop.svc.cluster.local", 1_000);
        learned.Seen("shop/Deployment/api", [new LearnedHostRecord("shop/db.shop.svc.cluster.local", 1_000, 2_000)]);
        learned.Seen("shop/Deployment/idle", []);

        Assert.True(learned.HasHosts("shop/Deployment/web"));   // learned by this replica
        Assert.True(learned.HasHosts("shop/Deployment/api"));   // in status, learned by another replica
        Assert.False(learned.HasHosts("shop/Deployment/idle")); // status synced, empty
        Assert.False(learned.HasHosts("shop/Deployment/never"));

        // Expired or removed everywhere: nothing left to age.
        learned.Merged("shop/Deployment/api", ["shop/db.shop.svc.cluster.local"], []);
        Assert.False(learned.HasHosts("shop/Deployment/api"));
    }
}
