using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace LazyMesh.Controller;

/// <summary>
/// The controller host's lifetime, chosen when it starts (the host is built earlier, with the controller):
/// with <see cref="Signals"/>, the console lifetime, which stops the host on SIGTERM, SIGINT (Ctrl+C) or SIGQUIT
/// (<c>lazymesh controller</c>); without, none: the library's host (tests, the demo) is stopped by its owner only.
/// </summary>
internal sealed class ControllerHostLifetime(IServiceProvider services) : IHostLifetime, IDisposable
{
    private ConsoleLifetime? _console;

    /// <summary>Set before the host starts.</summary>
    public bool Signals { get; set; }

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        if (!Signals)
        {
            return Task.CompletedTask;
        }

        _console = ActivatorUtilities.CreateInstance<ConsoleLifetime>(services);
        return _console.WaitForStartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _console?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public void Dispose() => _console?.Dispose();
}
