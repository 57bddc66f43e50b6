using k8s;
using k8s.Exceptions;

namespace LazyMesh.Kubernetes.Connection;

/// <summary>
/// Finds the Kubernetes API the controller talks to, in this order: an explicit <c>--kubeconfig PATH</c>
/// (with <c>--context NAME</c>), else the <c>KUBECONFIG</c> variable, else the in-cluster service account,
/// else <c>~/.kube/config</c>. An explicit choice that fails never falls back to another source; when no source
/// works the <see cref="KubeConnectionException"/> names each one tried and why it was not used.
/// </summary>
public static class KubeConnection
{
    public static k8s.Kubernetes Create(string? kubeconfigPath, string? context) =>
        new(CreateConfiguration(kubeconfigPath, context, KubeConnectionEnvironment.Process));

    /// <summary>The client configuration <see cref="Create"/> uses, found through <paramref name="environment"/>.</summary>
    public static KubernetesClientConfiguration CreateConfiguration(string? kubeconfigPath, string? context, KubeConnectionEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrEmpty(kubeconfigPath))
        {
            return FromFiles([kubeconfigPath], context, $"--kubeconfig {kubeconfigPath}", explicitFiles: true);
        }

        var tried = new List<string>();
        var variable = environment.KubeconfigVariable();
        if (!string.IsNullOrWhiteSpace(variable))
        {
            var paths = variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (paths.Any(File.Exists))
            {
                // kubectl ignores the missing entries of a KUBECONFIG list (and merges the others: here the first one is used).
                return FromFiles([paths.First(File.Exists)], context, $"KUBECONFIG={variable}", explicitFiles: false);
            }

            tried.Add($"KUBECONFIG={variable} (no such file)");
        }
        else
        {
            tried.Add("KUBECONFIG (not set)");
        }

        if (context is null)
        {
            if (environment.IsInCluster())
            {
                try
                {
                    return environment.InClusterConfig();
                }
                catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or FormatException)
                {
                    throw new KubeConnectionException($"in-cluster configuration failed: {e.Message}", e);
                }
            }

            tried.Add("in-cluster service account (KUBERNETES_SERVICE_HOST or the token file missing)");
        }
        else
        {
            tried.Add("in-cluster service account (skipped: --context needs a kubeconfig)");
        }

        if (File.Exists(environment.DefaultKubeconfigPath))
        {
            return FromFiles([environment.DefaultKubeconfigPath], context, environment.DefaultKubeconfigPath, explicitFiles: false);
        }

        tried.Add($"{environment.DefaultKubeconfigPath} (no such file)");
        throw new KubeConnectionException(
            "no Kubernetes API configuration found; tried: " + string.Join("; ", tried) + ". Pass --kubeconfig PATH or run in a pod with a service account.");
    }

    /// <summary>
    /// A context whose user has no credentials at all (<c>user: {}</c>, what <c>kubectl proxy</c> users and other
    /// authenticating proxies have) connects without authentication, as kubectl does; KubernetesClient would refuse it
    /// ("does not have appropriate auth credentials"), so the empty user is dropped from the context.
    /// </summary>
    private static void AllowCredentialLessUser(k8s.KubeConfigModels.K8SConfiguration config, string? contextName)
    {
        var name = contextName ?? config.CurrentContext;
        var context = config.Contexts?.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
        if (context?.ContextDetails?.User is not { Length: > 0 } userName)
        {
            return;
        }

        var user = config.Users?.FirstOrDefault(u => string.Equals(u.Name, userName, StringComparison.OrdinalIgnoreCase));
        var c = user?.UserCredentials;
        if (user is not null && (c is null || (string.IsNullOrEmpty(c.Token) && string.IsNullOrEmpty(c.UserName) && string.IsNullOrEmpty(c.Password)
            && string.IsNullOrEmpty(c.ClientCertificateData) && string.IsNullOrEmpty(c.ClientCertificate) && string.IsNullOrEmpty(c.ClientKeyData)
            && string.IsNullOrEmpty(c.ClientKey) && c.AuthProvider is null && c.ExternalExecution is null)))
        {
            context.ContextDetails.User = null;
        }
    }

    private static KubernetesClientConfiguration FromFiles(string[] paths, string? context, string source, bool explicitFiles)
    {
        if (explicitFiles && !File.Exists(paths[0]))
        {
            throw new KubeConnectionException($"{source}: no such file");
        }

        try
        {
            var config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(paths[0]));
            AllowCredentialLessUser(config, context);
            return KubernetesClientConfiguration.BuildConfigFromConfigObject(config, context);
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or FormatException
            or YamlDotNet.Core.YamlException or ArgumentException or InvalidOperationException)
        {
            var what = context is null ? source : $"{source} --context {context}";
            throw new KubeConnectionException($"{what}: {e.Message}", e);
        }
    }
}
