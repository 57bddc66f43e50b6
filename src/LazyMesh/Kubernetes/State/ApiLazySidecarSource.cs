using k8s;

namespace LazyMesh.Kubernetes.State;

/// <summary>Lists LazySidecars with plain (paged) LIST calls.</summary>
public sealed class ApiLazySidecarSource(IKubernetes client) : ILazySidecarSource
{
    private const int PageSize = 500;

    public async Task<IReadOnlyList<LazySidecarResource>> ListAsync(string? @namespace, CancellationToken cancellationToken)
    {
        var all = new List<LazySidecarResource>();
        string? next = null;
        do
        {
            var page = @namespace is null
                ? await client.CustomObjects.ListCustomObjectForAllNamespacesAsync<LazySidecarList>(
                    LazySidecarResource.Group, LazySidecarResource.Version, LazySidecarResource.Plural,
                    continueParameter: next, limit: PageSize, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await client.CustomObjects.ListNamespacedCustomObjectAsync<LazySidecarList>(
                    LazySidecarResource.Group, LazySidecarResource.Version, @namespace, LazySidecarResource.Plural,
                    continueParameter: next, limit: PageSize, cancellationToken: cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Items);
            next = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(next));

        return all;
    }
}
