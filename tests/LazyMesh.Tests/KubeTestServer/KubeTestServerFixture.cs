using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using LazyMesh.KubeTesting;

namespace LazyMesh.Tests.KubeTesting;

/// <summary>Shared helpers for the KubeTestServer tests.</summary>
internal static class KubeTestServerFixture
{
    /// <summary>Namespaces the KubeTestServer tests write into (writes into a missing namespace get 404).</summary>
    public static readonly IReadOnlyList<string> Namespaces = ["default", "kube-system", "one", "other", "shop"];

    public static async Task<KubeTestServer> StartAsync(KubeTestServerOptions? options = null)
    {
        var server = new KubeTestServer(options ?? new KubeTestServerOptions { InitialNamespaces = Namespaces });
        await server.StartAsync();
        return server;
    }

    public static V1Pod Pod(string name, IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "busybox" }] },
    };

    public static V1Status StatusOf(HttpOperationException e) => KubernetesJson.Deserialize<V1Status>(e.Response.Content);

    public static async Task<HttpOperationException> ThrowsApiAsync(HttpStatusCode code, Func<Task> action)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(action);
        Assert.Equal(code, e.Response.StatusCode);
        return e;
    }

    public static long Rv(IKubernetesObject<V1ObjectMeta> obj) => long.Parse(obj.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture);
}
