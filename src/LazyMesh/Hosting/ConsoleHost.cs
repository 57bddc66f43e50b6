using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace LazyMesh.Hosting;

/// <summary>
/// Runs a long-running command's start and stop on a minimal Generic Host whose console lifetime ends it on SIGTERM,
/// SIGINT (Ctrl+C) or SIGQUIT, as the controller's host does (<c>lazymesh fallback</c>, <c>lazymesh ui</c>).
/// </summary>
public static class ConsoleHost
{
    /// <summary>Calls <paramref name="start"/>, waits for a signal or <paramref name="cancellationToken"/>, then calls <paramref name="stop"/>.</summary>
    public static async Task RunAsync(Func<CancellationToken, Task> start, Func<CancellationToken, Task> stop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(stop);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IHostLifetime, ConsoleLifetime>();
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.AddSingleton<IHostedService>(new Service(start, stop));
        using var host = builder.Build();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed class Service(Func<CancellationToken, Task> start, Func<CancellationToken, Task> stop) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => start(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => stop(cancellationToken);
    }
}
