using Grpc.AspNetCore.Server.Model;
using LazyMesh.AccessLogs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Als;

/// <summary>Hosts the ALS service in any ASP.NET Core app (the controller's, or <see cref="AlsServer"/>'s own).</summary>
public static class AlsEndpointExtensions
{
    /// <summary>Registers gRPC, <see cref="AlsService"/> and its <see cref="AlsServerStats"/>.</summary>
    public static IServiceCollection AddLazyMeshAls(this IServiceCollection services, AlsServerOptions options, Func<IAccessEventSink> sinkFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sinkFactory);
        services.AddLogging();
        services.AddGrpc().AddServiceOptions<AlsService>(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxReceiveMessageSize;
            grpc.EnableDetailedErrors = false;
        });
        services.TryAddSingleton(options);
        services.TryAddSingleton<AlsServerStats>();
        services.TryAddSingleton(sp => new AlsService(
            options, sinkFactory, sp.GetRequiredService<AlsServerStats>(), sp.GetRequiredService<ILogger<AlsService>>(),
            sp.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<AlsService>, AlsServiceMethodProvider>());
        return services;
    }

    /// <summary>
    /// The Kestrel limits an ALS listener needs (streams are long and quiet, messages as large as
    /// <see cref="AlsServerOptions.MaxReceiveMessageSize"/>), and no server header.
    /// </summary>
    public static void ApplyAlsLimits(this KestrelServerOptions kestrel, AlsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(options);
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = null;
        kestrel.Limits.MinRequestBodyDataRate = null;
        // One more than the app's own per-connection cap, so a client over it gets an explicit ResourceExhausted.
        kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection + 1;
    }

    /// <summary>Maps <c>/envoy.service.accesslog.v3.AccessLogService/StreamAccessLogs</c>.</summary>
    public static GrpcServiceEndpointConventionBuilder MapLazyMeshAls(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGrpcService<AlsService>();
}
