using k8s;

namespace LazyMesh.Kubernetes.Connection;

/// <summary>What <see cref="KubeConnection"/> consults besides its arguments; replaceable in tests.</summary>
public sealed class KubeConnectionEnvironment
{
    public static KubeConnectionEnvironment Process { get; } = new();

    /// <summary>The <c>KUBECONFIG</c> variable (a list separated by <see cref="Path.PathSeparator"/>).</summary>
    public Func<string?> KubeconfigVariable { get; init; } = static () => Environment.GetEnvironmentVariable("KUBECONFIG");

    /// <summary>Whether this process runs in a pod with a service account (<c>KUBERNETES_SERVICE_HOST</c> and the token file).</summary>
    public Func<bool> IsInCluster { get; init; } = KubernetesClientConfiguration.IsInCluster;

    public Func<KubernetesClientConfiguration> InClusterConfig { get; init; } = KubernetesClientConfiguration.InClusterConfig;

    /// <summary>The default kubeconfig file (<c>~/.kube/config</c>).</summary>
    public string DefaultKubeconfigPath { get; init; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
}
