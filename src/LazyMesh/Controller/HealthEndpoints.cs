using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace LazyMesh.Controller;

/// <summary>The controller's <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> routes (on its admin listener, see <see cref="ControllerHost"/>).</summary>
public static class HealthEndpoints
{
    /// <summary>Maps the three routes.</summary>
    /// <param name="notReady">Why the controller is not ready (<c>/readyz</c> answers 503 with it); null once it is.</param>
    public static void Map(IEndpointRouteBuilder routes, Func<string?> notReady, CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(notReady);
        ArgumentNullException.ThrowIfNull(registry);
        routes.MapGet("/healthz", () => Results.Text("ok\n"));
        routes.MapGet("/readyz", () => notReady() is { } reason
            ? Results.Text($"not ready: {reason}\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ready\n"));
        routes.MapGet("/metrics", async context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });
    }
}
