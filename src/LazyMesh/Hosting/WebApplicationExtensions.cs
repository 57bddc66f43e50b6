using Microsoft.AspNetCore.Builder;

namespace LazyMesh.Hosting;

/// <summary>What every embedded Kestrel server here (ALS, fallback, health, demo pods) does when it ends.</summary>
public static class WebApplicationExtensions
{
    /// <summary>Stops the server (open requests get <paramref name="cancellationToken"/>'s time to finish), then disposes it even if stopping failed.</summary>
    public static async Task StopAndDisposeAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        try
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
