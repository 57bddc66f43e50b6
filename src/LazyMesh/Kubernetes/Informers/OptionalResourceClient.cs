using System.Net;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;

namespace LazyMesh.Kubernetes.Informers;

/// <summary>
/// An <see cref="IResourceClient{T}"/> for a resource whose CRD may not be installed (Gateway API routes): while the
/// API answers 404 the resource lists as empty and a watch waits out its timeout, so the informer syncs, and each
/// relist (resync) checks again whether the CRD has appeared.
/// </summary>
/// <param name="time">The clock the absent resource's watch timeout runs on (the informers' clock).</param>
public sealed class OptionalResourceClient<T>(IResourceClient<T> inner, TimeProvider? time = null) : IResourceClient<T>
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private volatile bool _absent;

    public string Resource => inner.Resource;

    /// <summary>True while the last LIST answered 404 (the CRD is not installed).</summary>
    public bool Absent => _absent;

    public async Task<ResourceListPage<T>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken)
    {
        try
        {
            var page = await inner.ListAsync(continueToken, limit, cancellationToken).ConfigureAwait(false);
            _absent = false;
            return page;
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            _absent = true;
            return new ResourceListPage<T>([], "0", null);
        }
    }

    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_absent)
        {
            // Nothing to watch: end as a server-side timeout would.
            await Task.Delay(TimeSpan.FromSeconds(timeoutSeconds), _time, cancellationToken).ConfigureAwait(false);
            yield break;
        }

        await foreach (var item in inner.WatchAsync(resourceVersion, timeoutSeconds, onError, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }
}
