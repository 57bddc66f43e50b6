using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using LazyMesh.Install;
using LazyMesh.KubeTesting;
using static LazyMesh.Tests.KubeTesting.KubeTestServerFixture;

namespace LazyMesh.Tests.KubeTesting;

/// <summary>What real clusters have and the test API server now has by default: authentication, RBAC, namespace lifecycle.</summary>
public sealed class KubeTestServerAuthTests
{
    private static V1ServiceAccount Account(string name) => new() { Metadata = new V1ObjectMeta { Name = name } };

    [Fact]
    public async Task A_request_without_a_bearer_token_or_with_an_unknown_one_is_unauthorized()
    {
        await using var server = await StartAsync();
        using var anonymous = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        await ThrowsApiAsync(HttpStatusCode.Unauthorized, () => anonymous.CoreV1.ListNamespaceAsync());
        using var forged = server.CreateClient("not-a-token");
        await ThrowsApiAsync(HttpStatusCode.Unauthorized, () => forged.CoreV1.ListNamespaceAsync());
        using var admin = server.CreateClient();
        Assert.NotEmpty((await admin.CoreV1.ListNamespaceAsync()).Items);
    }

    [Fact]
    public async Task A_service_account_token_is_authorized_by_the_stored_rbac_only()
    {
        await using var server = await StartAsync();
        using var admin = server.CreateClient();
        await admin.CoreV1.CreateNamespacedServiceAccountAsync(Account("reader"), "shop");
        using var reader = server.CreateClient(server.MintServiceAccountToken("shop", "reader"));

        await ThrowsApiAsync(HttpStatusCode.Forbidden, () => reader.CoreV1.ListNamespacedPodAsync("shop"));
        Assert.Equal("pods is forbidden: User \"system:serviceaccount:shop:reader\" cannot list resource \"pods\" in API group \"\" in the namespace \"shop\"", Assert.Single(server.Stats.Forbidden));

        await admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role
        {
            Metadata = new V1ObjectMeta { Name = "pods" },
            Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["pods"], Verbs = ["list"] }],
        }, "shop");
        await admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "pods" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "pods" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "reader", NamespaceProperty = "shop" }],
        }, "shop");

        Assert.NotNull(await reader.CoreV1.ListNamespacedPodAsync("shop"));
        await ThrowsApiAsync(HttpStatusCode.Forbidden, () => reader.CoreV1.ListNamespacedPodAsync("other"));
        await ThrowsApiAsync(HttpStatusCode.Forbidden, () => reader.CoreV1.ListPodForAllNamespacesAsync());
        await ThrowsApiAsync(HttpStatusCode.Forbidden, () => reader.CoreV1.CreateNamespacedPodAsync(new V1Pod { Metadata = new V1ObjectMeta { Name = "p" } }, "shop"));
        Assert.Equal(4, server.Stats.Forbidden.Count);

        // Deleting the ServiceAccount invalidates its tokens.
        await admin.CoreV1.DeleteNamespacedServiceAccountAsync("reader", "shop");
        await ThrowsApiAsync(HttpStatusCode.Unauthorized, () => reader.CoreV1.ListNamespacedPodAsync("shop"));
    }

    [Fact]
    public async Task A_verb_missing_from_the_rendered_fallback_role_fails_its_informers()
    {
        await using var server = await StartAsync();
        using var admin = server.CreateClient();
        var options = new InstallOptions { Namespace = "shop", FallbackNamespace = "shop" };
        foreach (var obj in InstallRenderer.Render(options).Where(o => (string?)o["metadata"]!["name"] == InstallOptions.FallbackName && (string?)o["kind"] is "ServiceAccount" or "ClusterRole" or "ClusterRoleBinding"))
        {
            if ((string?)obj["kind"] == "ClusterRole")
            {
                // The rendered rules minus "watch" on the core group's resources.
                obj["rules"]![0]!["verbs"] = new JsonArray("get", "list");
            }

            var r = ApiResource.Of(obj);
            var patch = new V1Patch(obj.ToJsonString(), V1Patch.PatchType.ApplyPatch);
            var name = (string)obj["metadata"]!["name"]!;
            _ = r.Namespaced
                ? await admin.CustomObjects.PatchNamespacedCustomObjectAsync<JsonObject>(patch, r.Group, r.Version, "shop", r.Plural, name, fieldManager: "test")
                : await admin.CustomObjects.PatchClusterCustomObjectAsync<JsonObject>(patch, r.Group, r.Version, r.Plural, name, fieldManager: "test");
        }

        using var fallback = server.CreateClient(server.MintServiceAccountToken("shop", InstallOptions.FallbackName));
        Assert.NotNull(await fallback.CoreV1.ListPodForAllNamespacesAsync());
        await ThrowsApiAsync(HttpStatusCode.Forbidden, () => fallback.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(watch: true));
        Assert.Contains("cannot watch resource \"pods\"", Assert.Single(server.Stats.Forbidden), StringComparison.Ordinal);
        Assert.NotNull(await fallback.AppsV1.ListDeploymentForAllNamespacesAsync());
    }

    [Fact]
    public async Task A_write_into_a_missing_namespace_is_404_and_a_service_delete_returns_the_service()
    {
        await using var server = await StartAsync();
        using var admin = server.CreateClient();
        var e = await ThrowsApiAsync(HttpStatusCode.NotFound, () => admin.CoreV1.CreateNamespacedServiceAsync(new V1Service { Metadata = new V1ObjectMeta { Name = "s" } }, "nowhere"));
        Assert.Contains("namespaces \\u0022nowhere\\u0022 not found", e.Response.Content, StringComparison.Ordinal);

        await admin.CoreV1.CreateNamespacedServiceAsync(new V1Service { Metadata = new V1ObjectMeta { Name = "s" }, Spec = new V1ServiceSpec { ClusterIP = "10.0.0.9" } }, "shop");
        var deleted = await admin.CoreV1.DeleteNamespacedServiceAsync("s", "shop");
        Assert.Equal(("Service", "s", "10.0.0.9"), (deleted.Kind, deleted.Metadata.Name, deleted.Spec.ClusterIP));
    }
}
