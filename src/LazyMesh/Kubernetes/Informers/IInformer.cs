namespace LazyMesh.Kubernetes.Informers;

/// <summary>The type-independent face of an <see cref="Informer{T}"/>.</summary>
public interface IInformer : IAsyncDisposable
{
    /// <summary>The resource's plural name.</summary>
    string Resource { get; }

    /// <summary>The first LIST completed: the cache holds the whole resource.</summary>
    bool HasSynced { get; }

    /// <summary>The last resourceVersion seen (list, event or bookmark); the next watch starts there.</summary>
    string? ResourceVersion { get; }

    int Count { get; }

    InformerCounters Counters { get; }

    /// <summary>Raised (on the informer's loop) after every change to the cache.</summary>
    event Action? Changed;

    /// <summary>Raised after each complete LIST (the first, a 410 relist, a resync) has been applied to the cache.</summary>
    event Action? Listed;

    /// <summary>Raised with the new resourceVersion after each BOOKMARK.</summary>
    event Action<string>? Bookmarked;

    void Start();

    Task WaitForSyncAsync(CancellationToken cancellationToken);
}
