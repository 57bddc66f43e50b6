using k8s;
using k8s.Models;
using LazyMesh.KubeTesting;
using static LazyMesh.Tests.KubeTesting.KubeTestServerFixture;

namespace LazyMesh.Tests.KubeTesting;

public sealed class KubeTestServerWatchTests
{
    [Fact]
    public async Task Watch_streams_added_modified_deleted_in_order()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        var list = await client.CoreV1.ListNamespacedPodAsync("default");

        using var watch = WatchRecorder<V1Pod>.Start(client.CoreV1.ListNamespacedPodWithHttpMessagesAsync("default", watch: true, resourceVersion: list.Metadata.ResourceVersion));
        var created = await client.CoreV1.CreateNamespacedPodAsync(Pod("p"), "default");
        await client.CoreV1.PatchNamespacedPodAsync(new V1Patch("{\"metadata\":{\"labels\":{\"a\":\"b\"}}}", V1Patch.PatchType.MergePatch), "p", "default");
        await client.CoreV1.DeleteNamespacedPodAsync("p", "default");

        var added = await watch.NextAsync();
        var modified = await watch.NextAsync();
        var deleted = await watch.NextAsync();
        Assert.Equal(WatchEventType.Added, added.Type);
        Assert.Equal(created.Metadata.ResourceVersion, added.Object.Metadata.ResourceVersion);
        Assert.Equal(WatchEventType.Modified, modified.Type);
        Assert.Equal("b", modified.Object.Metadata.Labels["a"]);
        Assert.Equal(WatchEventType.Deleted, deleted.Type);
        Assert.True(Rv(added.Object) < Rv(modified.Object) && Rv(modified.Object) < Rv(deleted.Object));
        Assert.Equal(server.ResourceVersion, Rv(deleted.Object));
    }

    [Fact]
    public async Task Watch_without_resource_version_starts_with_synthetic_added_events()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(Pod("a"), "default");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("b"), "default");

        using var watch = WatchRecorder<V1Pod>.Start(client.CoreV1.ListNamespacedPodWithHttpMessagesAsync("default", watch: true));

        Assert.Equal((WatchEventType.Added, "a"), await NameOf(watch));
        Assert.Equal((WatchEventType.Added, "b"), await NameOf(watch));
    }

    [Fact]
    public async Task Watch_resumes_after_a_resource_version()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        var first = await client.CoreV1.CreateNamespacedPodAsync(Pod("a"), "default");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("b"), "default");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("c"), "other");
        await client.CoreV1.DeleteNamespacedPodAsync("a", "default");

        using var watch = WatchRecorder<V1Pod>.Start(client.CoreV1.ListNamespacedPodWithHttpMessagesAsync("default", watch: true, resourceVersion: first.Metadata.ResourceVersion));

        Assert.Equal((WatchEventType.Added, "b"), await NameOf(watch));
        Assert.Equal((WatchEventType.Deleted, "a"), await NameOf(watch));
    }

    [Fact]
    public async Task Label_selector_watch_sees_objects_leave_and_enter_the_selection()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        var list = await client.CoreV1.ListPodForAllNamespacesAsync();
        using var watch = WatchRecorder<V1Pod>.Start(client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(watch: true, labelSelector: "app=web", resourceVersion: list.Metadata.ResourceVersion));

        await client.CoreV1.CreateNamespacedPodAsync(Pod("x", new Dictionary<string, string> { ["app"] = "db" }), "default");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("p", new Dictionary<string, string> { ["app"] = "web" }), "default");
        await client.CoreV1.PatchNamespacedPodAsync(new V1Patch("{\"metadata\":{\"labels\":{\"app\":\"db\"}}}", V1Patch.PatchType.MergePatch), "p", "default");
        await client.CoreV1.PatchNamespacedPodAsync(new V1Patch("{\"metadata\":{\"labels\":{\"app\":\"web\"}}}", V1Patch.PatchType.MergePatch), "x", "default");

        Assert.Equal((WatchEventType.Added, "p"), await NameOf(watch));
        Assert.Equal((WatchEventType.Deleted, "p"), await NameOf(watch));
        Assert.Equal((WatchEventType.Added, "x"), await NameOf(watch));
    }

    [Fact]
    public async Task Bookmarks_carry_the_current_resource_version()
    {
        await using var server = await StartAsync(new KubeTestServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200), InitialNamespaces = KubeTestServerFixture.Namespaces });
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(Pod("a"), "other");
        var rv = server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var watch = WatchRecorder<V1Pod>.Start(client.CoreV1.ListNamespacedPodWithHttpMessagesAsync("default", watch: true, resourceVersion: rv, allowWatchBookmarks: true));

        var bookmark = await watch.NextAsync();
        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.Equal(rv, bookmark.Object.Metadata.ResourceVersion);

        await client.CoreV1.CreateNamespacedPodAsync(Pod("b"), "other");
        var later = server.ResourceVersion;
        server.SendBookmarks();
        while (true)
        {
            var ev = await watch.NextAsync();
            Assert.Equal(WatchEventType.Bookmark, ev.Type);
            if (Rv(ev.Object) == later)
            {
                break;
            }
        }
    }

    [Fact]
    public async Task Watch_from_a_compacted_resource_version_gets_410_Gone()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        var old = await client.CoreV1.CreateNamespacedPodAsync(Pod("a"), "default");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("b"), "default");
        server.Compact();

        using var watch = WatchRecorder<V1Pod>.Start(client.CoreV1.ListNamespacedPodWithHttpMessagesAsync("default", watch: true, resourceVersion: old.Metadata.ResourceVersion));

        var error = Assert.IsType<KubernetesException>(await watch.NextErrorAsync());
        Assert.Equal(410, error.Status.Code);
        Assert.Equal("Expired", error.Status.Reason);
        await watch.WaitClosedAsync();

        // The current resourceVersion is still servable after compaction.
        using var fresh = WatchRecorder<V1Pod>.Start(client.CoreV1.ListNamespacedPodWithHttpMessagesAsync("default", watch: true,
            resourceVersion: server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await client.CoreV1.CreateNamespacedPodAsync(Pod("c"), "default");
        Assert.Equal((WatchEventType.Added, "c"), await NameOf(fresh));
    }

    [Fact]
    public async Task Watch_ends_after_timeoutSeconds()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(Pod("a"), "default");

        using var watch = WatchRecorder<V1Pod>.Start(client.CoreV1.ListNamespacedPodWithHttpMessagesAsync("default", watch: true, timeoutSeconds: 1));

        Assert.Equal((WatchEventType.Added, "a"), await NameOf(watch));
        await watch.WaitClosedAsync();
    }

    private static async Task<(WatchEventType, string)> NameOf(WatchRecorder<V1Pod> watch)
    {
        var ev = await watch.NextChangeAsync();
        return (ev.Type, ev.Object.Metadata.Name);
    }
}
