using Grpc.AspNetCore.Server.Model;

namespace LazyMesh.Als;

/// <summary>Registers <see cref="AlsService.StreamAccessLogs"/> with the raw-bytes request marshaller.</summary>
internal sealed class AlsServiceMethodProvider : IServiceMethodProvider<AlsService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<AlsService> context) =>
        context.AddClientStreamingMethod(
            AlsGrpcMethods.RawStreamAccessLogs,
            [],
            static (service, requests, callContext) => service.StreamAccessLogs(requests, callContext));
}
