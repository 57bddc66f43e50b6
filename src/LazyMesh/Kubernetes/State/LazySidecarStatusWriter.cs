using LazyMesh.Kubernetes.Sink;

namespace LazyMesh.Kubernetes.State;

/// <summary>
/// Optimistic concurrency on <c>/status</c>: compute the new status from the object as last read, write it with
/// that object's resourceVersion, and on 409 read again and recompute — so concurrent replicas never lose each
/// other's updates. <c>mutate</c> must be pure (it may run several times).
/// </summary>
public sealed class LazySidecarStatusWriter(KubeWriter writer)
{
    /// <summary>Bound on read-merge-write rounds of one update (each lost round means another writer succeeded).</summary>
    public const int MaxRounds = 50;

    /// <summary>
    /// Returns the object as it now stands (unchanged when <paramref name="mutate"/> asked for nothing new),
    /// or null when it no longer exists.
    /// </summary>
    public async Task<LazySidecarResource?> UpdateAsync(
        LazySidecarResource known,
        Func<LazySidecarResource, LazySidecarStatus> mutate,
        CancellationToken cancellationToken)
    {
        var current = known;
        for (var round = 0; round < MaxRounds; round++)
        {
            var status = mutate(current);
            if (LazySidecarStatuses.Same(status, current.Status))
            {
                return current;
            }

            var update = new LazySidecarResource
            {
                ApiVersion = current.ApiVersion,
                Kind = current.Kind,
                Metadata = current.Metadata,
                Spec = current.Spec,
                Status = status,
            };
            try
            {
                return await writer.ReplaceStatusAsync(update, LazySidecarResource.Group, LazySidecarResource.Version, LazySidecarResource.Plural, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (KubeErrors.IsConflict(e) || KubeErrors.IsNotFound(e))
            {
                writer.Stats.OnStatusConflict();
                var fresh = await writer.GetAsync<LazySidecarResource>(
                    LazySidecarResource.Group, LazySidecarResource.Version, LazySidecarResource.Plural,
                    current.Metadata.NamespaceProperty, current.Metadata.Name, cancellationToken).ConfigureAwait(false);
                if (fresh is null)
                {
                    return null;
                }

                current = fresh;
            }
        }

        throw new InvalidOperationException($"status of LazySidecar {known.Metadata.NamespaceProperty}/{known.Metadata.Name}: still conflicting after {MaxRounds} rounds");
    }
}
