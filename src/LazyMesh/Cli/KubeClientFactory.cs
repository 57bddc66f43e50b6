using k8s;
using LazyMesh.Kubernetes.Connection;

namespace LazyMesh.Cli;

/// <summary>The API connection of the cluster commands: a kubeconfig (and context), or the in-cluster service account.</summary>
public static class KubeClientFactory
{
    /// <summary>--kubeconfig, else $KUBECONFIG, else in-cluster, else ~/.kube/config (see <see cref="KubeConnection"/>).</summary>
    public static IKubernetes Create(string? kubeconfig, string? context) => KubeConnection.Create(kubeconfig, context);

    public static System.CommandLine.Option<string?> KubeconfigOption() => new("--kubeconfig") { Description = "Path of the kubeconfig (default: $KUBECONFIG, ~/.kube/config, or in-cluster)" };

    public static System.CommandLine.Option<string?> ContextOption() => new("--context") { Description = "The kubeconfig context to use" };
}
