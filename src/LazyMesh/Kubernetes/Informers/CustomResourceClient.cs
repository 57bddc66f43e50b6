using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;

namespace LazyMesh.Kubernetes.Informers;

/// <summary>
/// An <see cref="IResourceClient{T}"/> for a custom resource (Istio, LazyMesh) through KubernetesClient's <c>CustomObjects</c> API;
/// with the empty <paramref name="group"/> it reaches core resources (<c>/api/v1/pods</c>), as KubernetesClient's <c>GenericClient</c> does.
/// </summary>
public sealed class CustomResourceClient<T>(IKubernetes client, string group, string version, string plural) : IResourceClient<T>
{
    public string Resource => plural;

    public async Task<ResourceListPage<T>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken)
    {
        // The generic overload reads the response stream straight into the list type: no intermediate JSON document or text.
        using var response = await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<CustomResourceList<T>>(
            group, version, plural, continueParameter: continueToken, limit: limit, cancellationToken: cancellationToken).ConfigureAwait(false);
        var list = response.Body;
        return new ResourceListPage<T>(list?.Items ?? [], list?.Metadata?.ResourceVersion, list?.Metadata?.ContinueProperty);
    }

    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var response = await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync(
            group, version, plural, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, watch: true,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        using (response)
        {
            await using var stop = cancellationToken.Register(static r => ((IDisposable)r!).Dispose(), response.Response);
            // The generated WatchList…Async methods hide the response, and with it the only way to end a blocked read:
            // the extension over our own response task is the entry point that keeps it.
#pragma warning disable CS0618
            await foreach (var item in Task.FromResult(response).WatchAsync<T, object>(onError, cancellationToken).ConfigureAwait(false))
#pragma warning restore CS0618
            {
                yield return item;
            }
        }
    }
}
