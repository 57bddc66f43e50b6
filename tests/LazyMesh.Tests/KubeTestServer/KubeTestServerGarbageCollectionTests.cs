using System.Net;
using k8s;
using k8s.Models;
using static LazyMesh.Tests.KubeTesting.KubeTestServerFixture;

namespace LazyMesh.Tests.KubeTesting;

public sealed class KubeTestServerGarbageCollectionTests
{
    [Fact]
    public async Task Deleting_an_owner_cascades_through_dependents_in_the_background()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        var (deployment, replicaSet) = await CreateChainAsync(client);

        await client.AppsV1.DeleteNamespacedDeploymentAsync(deployment.Metadata.Name, "default");

        await ThrowsApiAsync(HttpStatusCode.NotFound, () => client.AppsV1.ReadNamespacedReplicaSetAsync(replicaSet.Metadata.Name, "default"));
        Assert.Empty((await client.CoreV1.ListNamespacedPodAsync("default")).Items);
    }

    [Fact]
    public async Task Orphan_propagation_keeps_dependents_and_strips_their_owner_reference()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        var (deployment, replicaSet) = await CreateChainAsync(client);

        await client.AppsV1.DeleteNamespacedDeploymentAsync(deployment.Metadata.Name, "default", propagationPolicy: "Orphan");

        var orphan = await client.AppsV1.ReadNamespacedReplicaSetAsync(replicaSet.Metadata.Name, "default");
        Assert.Null(orphan.Metadata.OwnerReferences);
        Assert.Equal(2, (await client.CoreV1.ListNamespacedPodAsync("default")).Items.Count);
    }

    [Fact]
    public async Task A_dependent_with_a_surviving_owner_is_kept()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        var ownerA = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a" } }, "default");
        var ownerB = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "b" } }, "default");
        var pod = Pod("shared");
        pod.Metadata.OwnerReferences = [Ref(ownerA), Ref(ownerB)];
        await client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        await client.CoreV1.DeleteNamespacedConfigMapAsync("a", "default");

        var kept = await client.CoreV1.ReadNamespacedPodAsync("shared", "default");
        Assert.Equal(ownerB.Metadata.Uid, Assert.Single(kept.Metadata.OwnerReferences).Uid);
    }

    [Fact]
    public async Task Finalizers_defer_deletion_until_removed()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        var pod = Pod("f");
        pod.Metadata.Finalizers = ["lazymesh.io/cleanup"];
        await client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        await client.CoreV1.DeleteNamespacedPodAsync("f", "default");
        var terminating = await client.CoreV1.ReadNamespacedPodAsync("f", "default");
        Assert.NotNull(terminating.Metadata.DeletionTimestamp);

        terminating.Metadata.Finalizers = [];
        await client.CoreV1.ReplaceNamespacedPodAsync(terminating, "f", "default");
        await ThrowsApiAsync(HttpStatusCode.NotFound, () => client.CoreV1.ReadNamespacedPodAsync("f", "default"));
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_its_objects()
    {
        await using var server = await StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "gone" } });
        await client.CoreV1.CreateNamespacedPodAsync(Pod("p"), "gone");
        await client.CoreV1.CreateNamespacedPodAsync(Pod("p"), "default");

        await client.CoreV1.DeleteNamespaceAsync("gone");

        Assert.Equal(["default"], (await client.CoreV1.ListPodForAllNamespacesAsync()).Items.Select(p => p.Metadata.NamespaceProperty));
    }

    private static async Task<(V1Deployment Deployment, V1ReplicaSet ReplicaSet)> CreateChainAsync(k8s.Kubernetes client)
    {
        var deployment = await client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec { Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() },
        }, "default");
        var replicaSet = await client.AppsV1.CreateNamespacedReplicaSetAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "web-1", OwnerReferences = [Ref(deployment)] },
            Spec = new V1ReplicaSetSpec { Selector = new V1LabelSelector() },
        }, "default");
        foreach (var name in new[] { "web-1-a", "web-1-b" })
        {
            var pod = Pod(name);
            pod.Metadata.OwnerReferences = [Ref(replicaSet)];
            await client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        }

        return (deployment, replicaSet);
    }

    private static V1OwnerReference Ref<T>(T owner)
        where T : IKubernetesObject<V1ObjectMeta> =>
        new() { ApiVersion = owner.ApiVersion ?? "v1", Kind = owner.Kind ?? "Unknown", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid, Controller = true };
}
