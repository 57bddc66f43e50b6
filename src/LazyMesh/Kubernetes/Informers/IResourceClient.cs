using k8s;

namespace LazyMesh.Kubernetes.Informers;

/// <summary>List and watch for one resource type, all namespaces: what an <see cref="Informer{T}"/> needs from the API.</summary>
public interface IResourceClient<T>
{
    /// <summary>The resource's plural name (<c>pods</c>, <c>serviceentries</c>), for logs and metrics.</summary>
    string Resource { get; }

    /// <summary>One page of a LIST (<paramref name="continueToken"/> null for the first page).</summary>
    Task<ResourceListPage<T>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// A WATCH from <paramref name="resourceVersion"/> with bookmarks. ERROR events (e.g. 410 Expired) and undecodable
    /// lines go to <paramref name="onError"/>; transport failures throw from the enumeration; cancelling
    /// <paramref name="cancellationToken"/> closes the stream.
    /// </summary>
    IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken);
}
