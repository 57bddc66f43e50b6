namespace LazyMesh.Kubernetes.Informers;

/// <summary>
/// The deadline of an informer's periodic relist: a token that is cancelled one period after
/// <see cref="Restart"/>, on the informer's clock; never cancelled when the period is zero or less.
/// </summary>
internal sealed class ResyncTimer(TimeSpan period, TimeProvider time) : IDisposable
{
    private CancellationTokenSource? _source;

    public CancellationToken Token => _source?.Token ?? CancellationToken.None;

    /// <summary>Starts a new period from now (called when a list starts).</summary>
    public void Restart()
    {
        _source?.Dispose();
        _source = period > TimeSpan.Zero ? new CancellationTokenSource(period, time) : null;
    }

    public void Dispose() => _source?.Dispose();
}
