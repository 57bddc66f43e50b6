namespace LazyMesh.Kubernetes.Connection;

/// <summary>
/// No usable Kubernetes API configuration was found (or the one named is broken). The message names every
/// source that was tried; the CLI maps it to exit code 2 (unusable arguments or environment).
/// </summary>
public sealed class KubeConnectionException : Exception
{
    public KubeConnectionException(string message)
        : base(message)
    {
    }

    public KubeConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
