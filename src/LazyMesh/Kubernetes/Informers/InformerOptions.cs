namespace LazyMesh.Kubernetes.Informers;

/// <summary>How an <see cref="Informer{T}"/> lists, watches and retries.</summary>
public sealed record InformerOptions
{
    public static InformerOptions Default { get; } = new();

    /// <summary>Items per LIST page (<c>limit</c>/<c>continue</c>).</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>The server ends each watch after this long (<c>timeoutSeconds</c>); the informer re-watches from the last resourceVersion seen.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A full relist that reconciles the cache this often; <see cref="TimeSpan.Zero"/> or less (the default) turns it
    /// off: the watch (resumed from the last resourceVersion, relisted on 410 Gone) keeps the cache, and the
    /// controller's own resync replays the cache instead of listing again.
    /// </summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.Zero;

    /// <summary>First retry delay after an error; doubles per consecutive error, with jitter.</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest retry delay.</summary>
    public TimeSpan BackoffCap { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock for resync deadlines and retry delays (a fake one in tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
