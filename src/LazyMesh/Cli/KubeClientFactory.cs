using k8s;

namespace LazyMesh.Cli;

/// <summary>The API connection of the cluster commands: a kubeconfig (and context), or the in-cluster service account.</summary>
public static class KubeClientFactory
{
    public static IKubernetes Create(string? kubeconfig, string? context)
    {
        var config = kubeconfig is null && context is null && KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig, context);
        return new k8s.Kubernetes(config);
    }

    public static System.CommandLine.Option<string?> KubeconfigOption() => new("--kubeconfig") { Description = "Path of the kubeconfig (default: $KUBECONFIG, ~/.kube/config, or in-cluster)" };

    public static System.CommandLine.Option<string?> ContextOption() => new("--context") { Description = "The kubeconfig context to use" };
}
