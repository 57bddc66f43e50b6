using k8s;
using LazyMesh.Kubernetes.Connection;
using LazyMesh.KubeTesting;
using LazyMesh.Tests.Inventory;

namespace LazyMesh.Tests.Kubernetes.Informers;

public sealed class KubeConnectionTests
{
    private static readonly KubeConnectionEnvironment Nowhere = new()
    {
        KubeconfigVariable = () => null,
        IsInCluster = () => false,
        DefaultKubeconfigPath = "/nonexistent/.kube/config",
    };

    [Fact]
    public async Task An_explicit_kubeconfig_connects()
    {
        await using var server = new KubeTestServer();
        await server.StartAsync();
        using var dir = new TempDirectory();
        var path = server.WriteKubeconfig(Path.Combine(dir.Path, "kubeconfig"));

        using var client = KubeConnection.Create(path, null);

        var namespaces = await client.CoreV1.ListNamespaceAsync();
        Assert.Contains(namespaces.Items, n => n.Metadata.Name == "default");
    }

    [Fact]
    public async Task A_kubeconfig_user_without_credentials_connects_as_kubectl_proxy_users_do()
    {
        // `user: {}`: KubernetesClient alone refuses it ("does not have appropriate auth credentials").
        await using var server = new KubeTestServer(new KubeTestServerOptions { AllowAnonymous = true });
        await server.StartAsync();
        using var dir = new TempDirectory();
        var path = server.WriteKubeconfig(Path.Combine(dir.Path, "kubeconfig"), token: null);
        Assert.Contains("user: {}", await File.ReadAllTextAsync(path), StringComparison.Ordinal);

        using var client = KubeConnection.Create(path, null);

        var namespaces = await client.CoreV1.ListNamespaceAsync();
        Assert.Contains(namespaces.Items, n => n.Metadata.Name == "default");
    }

    [Fact]
    public async Task The_KUBECONFIG_variable_is_used_when_no_path_is_given()
    {
        await using var server = new KubeTestServer();
        await server.StartAsync();
        using var dir = new TempDirectory();
        var path = server.WriteKubeconfig(Path.Combine(dir.Path, "kubeconfig"));
        var environment = new KubeConnectionEnvironment
        {
            KubeconfigVariable = () => string.Join(Path.PathSeparator, "/nonexistent/first", path),
            IsInCluster = () => throw new InvalidOperationException("not consulted"),
            DefaultKubeconfigPath = "/nonexistent/.kube/config",
        };

        var config = KubeConnection.CreateConfiguration(null, null, environment);

        Assert.Equal(server.BaseAddress.ToString().TrimEnd('/'), config.Host.TrimEnd('/'));
    }

    [Fact]
    public void In_cluster_comes_before_the_default_kubeconfig()
    {
        var environment = new KubeConnectionEnvironment
        {
            KubeconfigVariable = () => null,
            IsInCluster = () => true,
            InClusterConfig = () => new k8s.KubernetesClientConfiguration { Host = "https://10.96.0.1:443" },
            DefaultKubeconfigPath = "/nonexistent/.kube/config",
        };

        Assert.Equal("https://10.96.0.1:443", KubeConnection.CreateConfiguration(null, null, environment).Host);
    }

    [Fact]
    public void A_missing_explicit_kubeconfig_is_an_error_naming_it()
    {
        var e = Assert.Throws<KubeConnectionException>(() => KubeConnection.CreateConfiguration("/nonexistent/kubeconfig", null, Nowhere));
        Assert.Contains("--kubeconfig /nonexistent/kubeconfig", e.Message);
        Assert.Contains("no such file", e.Message);
    }

    [Fact]
    public async Task An_unknown_context_is_an_error_naming_it()
    {
        await using var server = new KubeTestServer();
        await server.StartAsync();
        using var dir = new TempDirectory();
        var path = server.WriteKubeconfig(Path.Combine(dir.Path, "kubeconfig"));

        var e = Assert.Throws<KubeConnectionException>(() => KubeConnection.CreateConfiguration(path, "nope", Nowhere));
        Assert.Contains("--context nope", e.Message);
    }

    [Fact]
    public void A_broken_kubeconfig_is_an_error_naming_the_file()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("kubeconfig", "this: [is not a kubeconfig");

        var e = Assert.Throws<KubeConnectionException>(() => KubeConnection.CreateConfiguration(path, null, Nowhere));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void When_nothing_is_found_every_source_tried_is_named()
    {
        var e = Assert.Throws<KubeConnectionException>(() => KubeConnection.CreateConfiguration(null, null, Nowhere));

        Assert.Contains("KUBECONFIG (not set)", e.Message);
        Assert.Contains("in-cluster", e.Message);
        Assert.Contains("/nonexistent/.kube/config (no such file)", e.Message);
    }
}
