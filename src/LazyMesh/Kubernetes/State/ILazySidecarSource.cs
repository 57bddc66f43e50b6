namespace LazyMesh.Kubernetes.State;

/// <summary>
/// Where LazySidecars are listed from: plain LIST calls (<see cref="ApiLazySidecarSource"/>) or, in the controller,
/// the informer cache. Status merges never read through this: they GET the object for its latest resourceVersion.
/// </summary>
public interface ILazySidecarSource
{
    /// <summary>Every LazySidecar, in one namespace or (null) all.</summary>
    Task<IReadOnlyList<LazySidecarResource>> ListAsync(string? @namespace, CancellationToken cancellationToken);
}
