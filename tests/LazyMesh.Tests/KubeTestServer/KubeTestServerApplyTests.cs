using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using static LazyMesh.Tests.KubeTesting.KubeTestServerFixture;

namespace LazyMesh.Tests.KubeTesting;

public sealed class KubeTestServerApplyTests
{
    [Fact]
    public async Task Apply_creates_then_merges_and_tracks_managers()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();

        var created = await ApplyConfigMapAsync(client, "alpha", new JsonObject { ["a"] = "1" }, new JsonObject { ["team"] = "x" });
        Assert.Equal("1", created.Data["a"]);
        Assert.Equal("alpha", Assert.Single(created.Metadata.ManagedFields).Manager);
        Assert.Equal("Apply", created.Metadata.ManagedFields[0].Operation);

        var merged = await ApplyConfigMapAsync(client, "beta", new JsonObject { ["b"] = "2" }, new JsonObject { ["owner"] = "y" });
        Assert.Equal("1", merged.Data["a"]);
        Assert.Equal("2", merged.Data["b"]);
        Assert.Equal("x", merged.Metadata.Labels["team"]);
        Assert.Equal("y", merged.Metadata.Labels["owner"]);
        Assert.Equal(["alpha", "beta"], merged.Metadata.ManagedFields.Select(m => m.Manager).Order());

        // alpha stops applying data.a: the field it alone owned is removed; beta's fields stay.
        var shrunk = await ApplyConfigMapAsync(client, "alpha", new JsonObject(), new JsonObject { ["team"] = "x" });
        Assert.False(shrunk.Data.ContainsKey("a"));
        Assert.Equal("2", shrunk.Data["b"]);

        // Re-applying the same configuration is a no-op: no new resourceVersion.
        var again = await ApplyConfigMapAsync(client, "alpha", new JsonObject(), new JsonObject { ["team"] = "x" });
        Assert.Equal(shrunk.Metadata.ResourceVersion, again.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Apply_conflicts_with_another_managers_field_unless_forced()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        await ApplyConfigMapAsync(client, "alpha", new JsonObject { ["a"] = "1" });

        // Same value: shared ownership, no conflict.
        var shared = await ApplyConfigMapAsync(client, "beta", new JsonObject { ["a"] = "1" });
        Assert.Equal(2, shared.Metadata.ManagedFields.Count);

        var e = await ThrowsApiAsync(HttpStatusCode.Conflict, () => ApplyConfigMapAsync(client, "gamma", new JsonObject { ["a"] = "2" }));
        var status = StatusOf(e);
        Assert.Equal("Conflict", status.Reason);
        Assert.Contains(status.Details.Causes, c => c.Field == ".data.a" && c.Message.Contains("alpha", StringComparison.Ordinal));

        var forced = await ApplyConfigMapAsync(client, "gamma", new JsonObject { ["a"] = "2" }, force: true);
        Assert.Equal("2", forced.Data["a"]);
        var owners = forced.Metadata.ManagedFields.Where(m => m.FieldsV1.ToString()!.Contains("f:a", StringComparison.Ordinal)).Select(m => m.Manager);
        Assert.Equal(["gamma"], owners);
    }

    [Fact]
    public async Task Update_takes_ownership_so_a_later_apply_conflicts()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        await ApplyConfigMapAsync(client, "alpha", new JsonObject { ["a"] = "1" });

        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"a\":\"edited\"}}", V1Patch.PatchType.MergePatch), "cm", "default", fieldManager: "kubectl-edit");

        var e = await ThrowsApiAsync(HttpStatusCode.Conflict, () => ApplyConfigMapAsync(client, "alpha", new JsonObject { ["a"] = "1" }));
        Assert.Contains("kubectl-edit", StatusOf(e).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_requires_a_field_manager()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "cm" } };

        await ThrowsApiAsync(HttpStatusCode.UnprocessableEntity, () => client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(body, V1Patch.PatchType.ApplyPatch), "cm", "default"));
    }

    [Fact]
    public async Task Status_subresource_isolates_status_from_spec()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        var body = new JsonObject
        {
            ["apiVersion"] = "lazymesh.io/v1alpha1",
            ["kind"] = "LazySidecar",
            ["metadata"] = new JsonObject { ["name"] = "ls" },
            ["spec"] = new JsonObject { ["mode"] = "lazy" },
            ["status"] = new JsonObject { ["phase"] = "Ignored" },
        };
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(body, "lazymesh.io", "v1alpha1", "default", "lazysidecars");
        var stored = server.GetStoredObject("lazymesh.io", "lazysidecars", "default", "ls")!;
        Assert.Null(stored["status"]);

        // Status writes change only status, and do not bump generation.
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("{\"spec\":{\"mode\":\"eager\"},\"status\":{\"phase\":\"Ready\"}}", V1Patch.PatchType.MergePatch),
            "lazymesh.io", "v1alpha1", "default", "lazysidecars", "ls");
        stored = server.GetStoredObject("lazymesh.io", "lazysidecars", "default", "ls")!;
        Assert.Equal("Ready", stored["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("lazy", stored["spec"]!["mode"]!.GetValue<string>());
        Assert.Equal(1, stored["metadata"]!["generation"]!.GetValue<long>());

        // Main-resource writes ignore status and bump generation on spec change.
        var update = (JsonObject)stored.DeepClone();
        update["spec"]!["mode"] = "eager";
        update["status"] = new JsonObject { ["phase"] = "Hacked" };
        await client.CustomObjects.ReplaceNamespacedCustomObjectAsync(update, "lazymesh.io", "v1alpha1", "default", "lazysidecars", "ls");
        stored = server.GetStoredObject("lazymesh.io", "lazysidecars", "default", "ls")!;
        Assert.Equal("Ready", stored["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("eager", stored["spec"]!["mode"]!.GetValue<string>());
        Assert.Equal(2, stored["metadata"]!["generation"]!.GetValue<long>());

        // Typed status replace on a built-in resource.
        var deployment = await client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "d" },
            Spec = new V1DeploymentSpec { Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() },
            Status = new V1DeploymentStatus { Replicas = 9 },
        }, "default");
        Assert.Null(deployment.Status);
        deployment.Status = new V1DeploymentStatus { ReadyReplicas = 1 };
        deployment.Spec.Replicas = 5;
        var afterStatus = await client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(deployment, "d", "default");
        Assert.Equal(1, afterStatus.Status.ReadyReplicas);
        Assert.Null(afterStatus.Spec.Replicas);
    }

    [Fact]
    public async Task Apply_to_status_subresource_tracks_its_own_manager()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        var body = new JsonObject
        {
            ["apiVersion"] = "lazymesh.io/v1alpha1",
            ["kind"] = "LazySidecar",
            ["metadata"] = new JsonObject { ["name"] = "ls" },
            ["spec"] = new JsonObject { ["mode"] = "lazy" },
        };
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(body, V1Patch.PatchType.ApplyPatch), "lazymesh.io", "v1alpha1", "default", "lazysidecars", "ls", fieldManager: "ctl");
        var status = new JsonObject
        {
            ["apiVersion"] = "lazymesh.io/v1alpha1",
            ["kind"] = "LazySidecar",
            ["metadata"] = new JsonObject { ["name"] = "ls" },
            ["status"] = new JsonObject { ["phase"] = "Ready" },
        };
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(status, V1Patch.PatchType.ApplyPatch), "lazymesh.io", "v1alpha1", "default", "lazysidecars", "ls", fieldManager: "ctl-status");

        var stored = server.GetStoredObject("lazymesh.io", "lazysidecars", "default", "ls")!;
        Assert.Equal("Ready", stored["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("lazy", stored["spec"]!["mode"]!.GetValue<string>());
        var entries = stored["metadata"]!["managedFields"]!.AsArray();
        Assert.Contains(entries, e => e!["manager"]!.GetValue<string>() == "ctl-status" && e["subresource"]?.GetValue<string>() == "status");
    }

    [Fact]
    public async Task Apply_accepts_a_yaml_body()
    {
        await using var server = await StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", LazyMesh.KubeTesting.KubeTestServer.AdminToken);
        const string yaml = """
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata:
              name: default
              labels:
                lazymesh.io/managed: "true"
            spec:
              egress:
              - hosts: ["./*", "istio-system/*"]
              outboundTrafficPolicy:
                mode: REGISTRY_ONLY
            """;
        using var content = new StringContent(yaml);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/apply-patch+yaml");

        using var response = await http.PatchAsync("apis/networking.istio.io/v1/namespaces/shop/sidecars/default?fieldManager=lazymesh", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = server.GetStoredObject("networking.istio.io", "sidecars", "shop", "default")!;
        Assert.Equal("true", stored["metadata"]!["labels"]!["lazymesh.io/managed"]!.GetValue<string>());
        Assert.Equal("istio-system/*", stored["spec"]!["egress"]![0]!["hosts"]![1]!.GetValue<string>());
        Assert.Equal("REGISTRY_ONLY", stored["spec"]!["outboundTrafficPolicy"]!["mode"]!.GetValue<string>());
    }

    private static Task<V1ConfigMap> ApplyConfigMapAsync(k8s.Kubernetes client, string manager, JsonObject data, JsonObject? labels = null, bool force = false)
    {
        var meta = new JsonObject { ["name"] = "cm" };
        if (labels is not null)
        {
            meta["labels"] = labels;
        }

        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = meta, ["data"] = data };
        return client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(body, V1Patch.PatchType.ApplyPatch), "cm", "default", fieldManager: manager, force: force);
    }
}
