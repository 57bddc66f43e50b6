using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace LazyMesh.Kubernetes.Informers;

/// <summary>
/// An <see cref="IResourceClient{T}"/> over one of KubernetesClient's typed <c>List…ForAllNamespacesWithHttpMessagesAsync</c>
/// operations: <paramref name="list"/> receives (watch, resourceVersion, continue, limit, timeoutSeconds, token).
/// </summary>
public sealed class TypedResourceClient<T, TList>(
    string resource,
    Func<bool, string?, string?, int?, int?, CancellationToken, Task<HttpOperationResponse<TList>>> list) : IResourceClient<T>
    where TList : IItems<T>, IMetadata<V1ListMeta>
{
    public string Resource { get; } = resource;

    public async Task<ResourceListPage<T>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken)
    {
        using var response = await list(false, null, continueToken, limit, null, cancellationToken).ConfigureAwait(false);
        var body = response.Body;
        return new ResourceListPage<T>(body.Items ?? [], body.Metadata?.ResourceVersion, body.Metadata?.ContinueProperty);
    }

    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var response = await list(true, resourceVersion, null, null, timeoutSeconds, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            // The client disposes the token it reads the stream with once the call returns: closing the response is
            // what ends a read in progress when we stop.
            await using var stop = cancellationToken.Register(static r => ((IDisposable)r!).Dispose(), response.Response);
            // The generated WatchList…Async methods hide the response, and with it the only way to end a blocked read:
            // the extension over our own response task is the entry point that keeps it.
#pragma warning disable CS0618
            await foreach (var item in Task.FromResult(response).WatchAsync<T, TList>(onError, cancellationToken).ConfigureAwait(false))
#pragma warning restore CS0618
            {
                yield return item;
            }
        }
    }
}
