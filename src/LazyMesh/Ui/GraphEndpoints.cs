using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LazyMesh.Ui;

/// <summary>The read-only routes of the page: <c>/ui</c> (one self-contained HTML file) and <c>/api/v1/graph</c> (JSON).</summary>
public static class GraphEndpoints
{
    public const string GraphPath = "/api/v1/graph";
    public const string UiPath = "/ui";

    /// <summary>Maps both routes; <paramref name="graph"/> builds a fresh document per request.</summary>
    public static void Map(IEndpointRouteBuilder routes, Func<GraphDocument> graph)
    {
        routes.MapGet(GraphPath, context =>
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            return context.Response.WriteAsync(GraphJson.Serialize(graph()), context.RequestAborted);
        });
        routes.MapGet(UiPath, context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            // Everything is inline: no script, style or image may come from anywhere else.
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:";
            return context.Response.Body.WriteAsync(UiPage.Html, context.RequestAborted).AsTask();
        });
    }
}
