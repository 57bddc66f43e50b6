using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using LazyMesh.KubeTesting;
using static LazyMesh.Tests.KubeTesting.KubeTestServerFixture;

namespace LazyMesh.Tests.KubeTesting;

public sealed class KubeTestServerCrudTests
{
    [Fact]
    public async Task Create_get_replace_delete_with_increasing_resource_versions()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();

        var created = await client.CoreV1.CreateNamespacedPodAsync(Pod("web"), "default");
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal(server.ResourceVersion, Rv(created));

        var read = await client.CoreV1.ReadNamespacedPodAsync("web", "default");
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);

        read.Metadata.Labels = new Dictionary<string, string> { ["app"] = "web" };
        var replaced = await client.CoreV1.ReplaceNamespacedPodAsync(read, "web", "default");
        Assert.True(Rv(replaced) > Rv(created));
        Assert.Equal(created.Metadata.Uid, replaced.Metadata.Uid);
        Assert.Equal("web", replaced.Metadata.Labels["app"]);

        await client.CoreV1.DeleteNamespacedPodAsync("web", "default");
        var e = await ThrowsApiAsync(HttpStatusCode.NotFound, () => client.CoreV1.ReadNamespacedPodAsync("web", "default"));
        var status = StatusOf(e);
        Assert.Equal("NotFound", status.Reason);
        Assert.Equal(404, status.Code);
        await ThrowsApiAsync(HttpStatusCode.NotFound, () => client.CoreV1.DeleteNamespacedPodAsync("web", "default"));
    }

    [Fact]
    public async Task Create_existing_is_409_AlreadyExists_and_generateName_makes_unique_names()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(Pod("a"), "default");

        var e = await ThrowsApiAsync(HttpStatusCode.Conflict, () => client.CoreV1.CreateNamespacedPodAsync(Pod("a"), "default"));
        Assert.Equal("AlreadyExists", StatusOf(e).Reason);

        var generated = new V1Pod { Metadata = new V1ObjectMeta { GenerateName = "job-" }, Spec = Pod("x").Spec };
        var one = await client.CoreV1.CreateNamespacedPodAsync(generated, "default");
        var two = await client.CoreV1.CreateNamespacedPodAsync(generated, "default");
        Assert.StartsWith("job-", one.Metadata.Name, StringComparison.Ordinal);
        Assert.NotEqual(one.Metadata.Name, two.Metadata.Name);
    }

    [Fact]
    public async Task Replace_with_stale_resource_version_is_409_Conflict_and_missing_is_404()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        var first = await client.CoreV1.CreateNamespacedPodAsync(Pod("p"), "default");
        var stale = await client.CoreV1.ReadNamespacedPodAsync("p", "default");

        first.Metadata.Labels = new Dictionary<string, string> { ["v"] = "1" };
        await client.CoreV1.ReplaceNamespacedPodAsync(first, "p", "default");

        stale.Metadata.Labels = new Dictionary<string, string> { ["v"] = "2" };
        var e = await ThrowsApiAsync(HttpStatusCode.Conflict, () => client.CoreV1.ReplaceNamespacedPodAsync(stale, "p", "default"));
        var status = StatusOf(e);
        Assert.Equal("Conflict", status.Reason);
        Assert.Contains("the object has been modified", status.Message, StringComparison.Ordinal);

        await ThrowsApiAsync(HttpStatusCode.NotFound, () => client.CoreV1.ReplaceNamespacedPodAsync(Pod("nope"), "nope", "default"));
    }

    [Fact]
    public async Task Unchanged_update_is_a_no_op_without_new_resource_version()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        var created = await client.CoreV1.CreateNamespacedPodAsync(Pod("p"), "default");
        var before = server.ResourceVersion;

        var same = await client.CoreV1.ReplaceNamespacedPodAsync(created, "p", "default");

        Assert.Equal(created.Metadata.ResourceVersion, same.Metadata.ResourceVersion);
        Assert.Equal(before, server.ResourceVersion);
    }

    [Fact]
    public async Task Generation_moves_on_spec_changes_only()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "d" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "d" } },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "d" } }, Spec = Pod("x").Spec },
            },
        };
        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "default");
        Assert.Equal(1, created.Metadata.Generation);

        var labelled = await client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("{\"metadata\":{\"labels\":{\"x\":\"y\"}}}", V1Patch.PatchType.MergePatch), "d", "default");
        Assert.Equal(1, labelled.Metadata.Generation);

        var scaled = await client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("{\"spec\":{\"replicas\":3}}", V1Patch.PatchType.MergePatch), "d", "default");
        Assert.Equal(2, scaled.Metadata.Generation);
        Assert.Equal(3, scaled.Spec.Replicas);
        Assert.Equal("y", scaled.Metadata.Labels["x"]);
    }

    [Fact]
    public async Task Merge_patch_with_stale_resource_version_conflicts_and_json_patch_works()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(Pod("p", new Dictionary<string, string> { ["a"] = "1" }), "default");

        await ThrowsApiAsync(HttpStatusCode.Conflict, () => client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("{\"metadata\":{\"resourceVersion\":\"1\",\"labels\":{\"a\":\"2\"}}}", V1Patch.PatchType.MergePatch), "p", "default"));

        var patched = await client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("[{\"op\":\"replace\",\"path\":\"/metadata/labels/a\",\"value\":\"3\"},{\"op\":\"add\",\"path\":\"/metadata/labels/b\",\"value\":\"4\"}]", V1Patch.PatchType.JsonPatch),
            "p", "default");
        Assert.Equal("3", patched.Metadata.Labels["a"]);
        Assert.Equal("4", patched.Metadata.Labels["b"]);

        var removed = await client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("{\"metadata\":{\"labels\":{\"a\":null}}}", V1Patch.PatchType.MergePatch), "p", "default");
        Assert.False(removed.Metadata.Labels.ContainsKey("a"));
    }

    [Fact]
    public async Task List_filters_by_namespace_label_and_field_selectors_and_pages()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(Pod("a", new Dictionary<string, string> { ["app"] = "x", ["tier"] = "web" }), "one");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("b", new Dictionary<string, string> { ["app"] = "y" }), "one");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("c", new Dictionary<string, string> { ["app"] = "x" }), "two");

        var inOne = await client.CoreV1.ListNamespacedPodAsync("one");
        Assert.Equal(["a", "b"], inOne.Items.Select(p => p.Metadata.Name));
        Assert.Equal(server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), inOne.Metadata.ResourceVersion);

        var all = await client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "app=x");
        Assert.Equal(["a", "c"], all.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["b"], (await client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "app!=x")).Items.Select(p => p.Metadata.Name));
        Assert.Equal(["a"], (await client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "tier")).Items.Select(p => p.Metadata.Name));
        Assert.Equal(["b", "c"], (await client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "!tier")).Items.Select(p => p.Metadata.Name));
        Assert.Equal(["a", "b"], (await client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "app in (x,y),!nope")).Items.Where(p => p.Metadata.NamespaceProperty == "one").Select(p => p.Metadata.Name));
        Assert.Equal(["c"], (await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "metadata.namespace=two")).Items.Select(p => p.Metadata.Name));
        Assert.Equal(["b"], (await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "metadata.name=b")).Items.Select(p => p.Metadata.Name));

        var page1 = await client.CoreV1.ListPodForAllNamespacesAsync(limit: 2);
        Assert.Equal(2, page1.Items.Count);
        Assert.False(string.IsNullOrEmpty(page1.Metadata.ContinueProperty));
        var page2 = await client.CoreV1.ListPodForAllNamespacesAsync(limit: 2, continueParameter: page1.Metadata.ContinueProperty);
        Assert.Equal(["c"], page2.Items.Select(p => p.Metadata.Name));
        Assert.True(string.IsNullOrEmpty(page2.Metadata.ContinueProperty));
    }

    [Fact]
    public async Task Kubeconfig_points_a_client_at_the_server()
    {
        await using var server = await StartAsync();
        var path = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}");
        try
        {
            server.WriteKubeconfig(path);
            var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
            Assert.Equal("default", config.Namespace);
            using var client = new k8s.Kubernetes(config);
            var namespaces = await client.CoreV1.ListNamespaceAsync();
            Assert.Contains(namespaces.Items, n => n.Metadata.Name == "default");
            Assert.Equal("Active", namespaces.Items[0].Status.Phase);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Registered_and_custom_resources_work_through_the_generic_client_and_discovery()
    {
        await using var server = await StartAsync();
        server.RegisterResource(new KubeResourceType("example.com", ["v1"], "widgets", "Widget", Namespaced: true, HasStatusSubresource: false));
        using var client = server.CreateClient();

        var body = new JsonObject { ["apiVersion"] = "example.com/v1", ["kind"] = "Widget", ["metadata"] = new JsonObject { ["name"] = "w" }, ["spec"] = new JsonObject { ["size"] = 2 } };
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(body, "example.com", "v1", "default", "widgets");
        var stored = server.GetStoredObject("example.com", "widgets", "default", "w");
        Assert.Equal(2, stored!["spec"]!["size"]!.GetValue<int>());

        var se = new JsonObject { ["apiVersion"] = "networking.istio.io/v1", ["kind"] = "ServiceEntry", ["metadata"] = new JsonObject { ["name"] = "se" }, ["spec"] = new JsonObject { ["hosts"] = new JsonArray("a.example") } };
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(se, "networking.istio.io", "v1", "default", "serviceentries");
        var viaAlias = (System.Text.Json.JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync("networking.istio.io", "v1beta1", "default", "serviceentries", "se");
        Assert.Equal("networking.istio.io/v1beta1", viaAlias.GetProperty("apiVersion").GetString());

        var resources = await client.CoreV1.GetAPIResourcesAsync();
        Assert.Contains(resources.Resources, r => r.Name == "pods");
        await ThrowsApiAsync(HttpStatusCode.NotFound, () => client.CustomObjects.ListNamespacedCustomObjectAsync("example.com", "v1", "default", "gadgets"));
    }
}
