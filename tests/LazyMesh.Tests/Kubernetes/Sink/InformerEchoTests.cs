using k8s;
using LazyMesh.Istio;
using LazyMesh.Kubernetes.Informers;
using LazyMesh.Kubernetes.Sink;
using LazyMesh.Kubernetes.State;
using LazyMesh.Rendering;
using static LazyMesh.Tests.Kubernetes.Sink.SinkHarness;

namespace LazyMesh.Tests.Kubernetes.Sink;

/// <summary>
/// The controller's own writes come back through its Sidecar and LazySidecar informers. Those echoes must cause no
/// second, identical apply (issue 10 item 6), while a hand edit or delete must (the object is applied again).
/// </summary>
public sealed class InformerEchoTests
{
    private static Task<SidecarResource> ReadSidecarAsync(SinkHarness h, string name) =>
        h.Client.CustomObjects.GetNamespacedCustomObjectAsync<SidecarResource>("networking.istio.io", "v1", "shop", "sidecars", name);

    private static Task<LazySidecarResource> ReadLazySidecarAsync(SinkHarness h, string name) =>
        h.Client.CustomObjects.GetNamespacedCustomObjectAsync<LazySidecarResource>("lazymesh.io", "v1alpha1", "shop", "lazysidecars", name);

    [Fact]
    public async Task The_echo_of_an_applied_sidecar_is_not_applied_again_but_a_hand_edit_and_a_delete_are()
    {
        await using var server = await StartServerAsync();
        using var h = new SinkHarness(server);
        h.Store.Learn(Web, Cart, h.Now);
        Assert.Equal(WorkloadOutcome.Applied, await h.ReconcileAsync(Web));
        var echo = await ReadSidecarAsync(h, "lazymesh-pod-web");

        Assert.False(h.Sink.Sidecars.OnSidecarChanged(InformerChangeType.Added, echo));
        Assert.False(h.Sink.Sidecars.OnSidecarChanged(InformerChangeType.Updated, echo));
        var patches = server.Stats.Count("patch", "sidecars");
        Assert.Equal(WorkloadOutcome.Unchanged, await h.ReconcileAsync(Web));
        Assert.Equal(patches, server.Stats.Count("patch", "sidecars"));

        // Edited by hand (an egress host removed): applied again.
        var edited = await ReadSidecarAsync(h, "lazymesh-pod-web");
        edited.Spec.Egress![0].Hosts = [.. edited.Spec.Egress[0].Hosts.Where(x => x != Cart)];
        edited = await h.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync<SidecarResource>(edited, "networking.istio.io", "v1", "shop", "sidecars", edited.Metadata.Name);
        Assert.True(h.Sink.Sidecars.OnSidecarChanged(InformerChangeType.Updated, edited));
        Assert.Equal(WorkloadOutcome.Applied, await h.ReconcileAsync(Web));
        Assert.Equal(patches + 1, server.Stats.Count("patch", "sidecars"));
        Assert.Contains(Cart, (await ReadSidecarAsync(h, "lazymesh-pod-web")).Spec.Egress![0].Hosts);

        // An update event whose object still holds exactly what was applied (a label added by someone else, say):
        // the live object is read and nothing is written.
        Assert.True(h.Sink.Sidecars.OnSidecarChanged(InformerChangeType.Updated, edited));
        Assert.Equal(WorkloadOutcome.Unchanged, await h.ReconcileAsync(Web));
        Assert.Equal(patches + 1, server.Stats.Count("patch", "sidecars"));

        // Deleted: applied again.
        await h.Client.CustomObjects.DeleteNamespacedCustomObjectAsync("networking.istio.io", "v1", "shop", "sidecars", "lazymesh-pod-web");
        Assert.True(h.Sink.Sidecars.OnSidecarChanged(InformerChangeType.Deleted, echo));
        Assert.Equal(WorkloadOutcome.Applied, await h.ReconcileAsync(Web));
        Assert.Equal(patches + 2, server.Stats.Count("patch", "sidecars"));
    }

    [Fact]
    public async Task A_user_written_sidecar_is_not_ours_to_reapply()
    {
        await using var server = await StartServerAsync();
        using var h = new SinkHarness(server);
        await h.ReconcileAsync(Web);
        var user = await ReadSidecarAsync(h, "lazymesh-pod-web");
        user.Metadata.Labels!.Remove("app.kubernetes.io/managed-by");
        Assert.False(h.Sink.Sidecars.OnSidecarChanged(InformerChangeType.Updated, user));
    }

    [Fact]
    public async Task Status_merges_of_a_lazysidecar_are_echoes_and_a_spec_edit_is_not()
    {
        await using var server = await StartServerAsync();
        using var h = new SinkHarness(server);
        h.Store.Learn(Web, Cart, h.Now);
        await h.ReconcileAsync(Web);
        var lazy = await ReadLazySidecarAsync(h, "lazymesh-pod-web");
        Assert.False(h.Sink.LazySidecars.OnLazySidecarChanged(InformerChangeType.Updated, lazy));

        // spec.paused set by a user: the generation moves, and the workload must be reconciled at once.
        lazy.Spec.Paused = true;
        var paused = await h.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync<LazySidecarResource>(lazy, "lazymesh.io", "v1alpha1", "shop", "lazysidecars", lazy.Metadata.Name);
        Assert.NotEqual(lazy.Metadata.Generation, paused.Metadata.Generation);
        Assert.True(h.Sink.LazySidecars.OnLazySidecarChanged(InformerChangeType.Updated, paused));
        Assert.Equal(WorkloadOutcome.Paused, await h.ReconcileAsync(Web));
    }
}
