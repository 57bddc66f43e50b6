using System.Runtime.InteropServices;

namespace LazyMesh.Cli;

/// <summary>
/// How the long-running commands (controller, fallback) live: <see cref="Token"/> is cancelled by Ctrl+C
/// (the invocation's token) or by SIGTERM, and <see cref="WaitAsync"/> returns then.
/// </summary>
public sealed class ServiceLifetime : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _sigterm;

    public ServiceLifetime(CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            _stop.Cancel();
        });
    }

    public CancellationToken Token => _stop.Token;

    /// <summary>Completes when the process is asked to stop.</summary>
    public async Task WaitAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        _sigterm.Dispose();
        _stop.Dispose();
    }
}
