using Grpc.Core;
using LazyMesh.Als.Envoy;

namespace LazyMesh.Tests.Als;

/// <summary>An ALS server built on the generated service base: records every message as Google.Protobuf parsed it.</summary>
public sealed class RecordingAccessLogService : AccessLogService.AccessLogServiceBase
{
    public List<StreamAccessLogsMessage> Messages { get; } = [];

    public override async Task<StreamAccessLogsResponse> StreamAccessLogs(IAsyncStreamReader<StreamAccessLogsMessage> requestStream, ServerCallContext context)
    {
        await foreach (var message in requestStream.ReadAllAsync(context.CancellationToken))
        {
            Messages.Add(message);
        }

        return new StreamAccessLogsResponse();
    }
}
