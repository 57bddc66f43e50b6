using System.Net;
using LazyMesh.Als;
using LazyMesh.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Controller;

/// <summary>
/// The controller's one Generic Host: one Kestrel server with two listeners, ALS (gRPC over HTTP/2 cleartext, the ALS
/// limits) and the admin routes (HTTP/1.1: <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>, <c>/api/v1/graph</c>,
/// <c>/ui</c>), each route answering on its own listener only; and the controller as an
/// <see cref="IHostedLifecycleService"/> (<see cref="ControllerLifecycle"/>). Kestrel starts before the controller's
/// slow start (inventory, informers, restore), so health answers from process start; ALS streams are refused with
/// <c>Unavailable</c> until the controller takes them. <see cref="HostOptions.ShutdownTimeout"/> is the mode's.
/// Built when the controller is made (its meters come from the host's <see cref="IMeterFactory"/>), started by its
/// start; whether signals stop it is decided then (<see cref="ControllerHostLifetime"/>).
/// </summary>
public static class ControllerHost
{
    private const string Starting = "controller starting";

    /// <summary>
    /// Builds (does not start) the host of <paramref name="controller"/>: its services, of which the
    /// <see cref="IMeterFactory"/> the controller's metrics are made by (<see cref="ControllerMode.MeterFactory"/>
    /// when the mode has one). <see cref="Map"/> adds the routes once the controller has its metrics.
    /// </summary>
    public static WebApplication Build(LazyMeshController controller, ControllerMode mode, ILoggerFactory loggerFactory, out ControllerListeners listeners)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(mode);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var bound = new ControllerListeners();
        listeners = bound;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            // Server-wide, but the admin listener only serves small GETs over HTTP/1.1.
            kestrel.ApplyAlsLimits(mode.Als);
            kestrel.Listen(mode.AlsEndPoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                bound.Als = listen;
            });
            kestrel.Listen(mode.HttpEndPoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(next => connection =>
                {
                    connection.Features.Set(AdminConnection.Instance);
                    return next(connection);
                });
                bound.Admin = listen;
            });
        });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddMetrics();
        if (mode.MeterFactory is { } meterFactory)
        {
            // An embedding application's factory: the host's instruments (Kestrel's) and the controller's go there.
            builder.Services.AddSingleton(meterFactory);
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = mode.ShutdownTimeout);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.AddSingleton<ControllerHostLifetime>();
        builder.Services.AddSingleton<IHostLifetime>(static services => services.GetRequiredService<ControllerHostLifetime>());
        builder.Services.AddRoutingCore();
        builder.Services.AddLazyMeshAls(mode.Als, () => controller.Learner);
        builder.Services.AddSingleton<IHostedService>(controller.Lifecycle);
        return builder.Build();
    }

    /// <summary>The host's middleware and routes: ALS on its listener, the admin routes (health, <c>/metrics</c>, graph) on the other.</summary>
    public static void Map(WebApplication app, LazyMeshController controller)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(controller);
        app.UseRouting();
        app.Use((context, next) =>
        {
            var onAdmin = context.Features.Get<AdminConnection>() is not null;
            var adminRoute = context.GetEndpoint()?.Metadata.GetMetadata<AdminConnection>() is not null;
            if (onAdmin != adminRoute)
            {
                // Each route on its own listener: no health on the ALS port, no gRPC on the admin port.
                context.SetEndpoint(null);
            }
            else if (!onAdmin && !controller.AcceptsAls)
            {
                // Trailers-only gRPC status: Envoy retries the stream later.
                context.Response.ContentType = "application/grpc";
                context.Response.Headers["grpc-status"] = "14";
                context.Response.Headers["grpc-message"] = Starting;
                return Task.CompletedTask;
            }

            return next(context);
        });
        app.MapLazyMeshAls();
        var admin = app.MapGroup(string.Empty).WithMetadata(AdminConnection.Instance);
        HealthEndpoints.Map(admin, () => controller.NotReadyReason, controller.Metrics.Registry);
        Ui.GraphEndpoints.Map(admin, controller.Graph);
    }

    /// <summary>Marks connections accepted on the admin listener, and the routes that answer there.</summary>
    private sealed class AdminConnection
    {
        public static readonly AdminConnection Instance = new();
    }
}
