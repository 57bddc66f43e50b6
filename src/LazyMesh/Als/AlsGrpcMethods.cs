using Google.Protobuf;
using Grpc.Core;
using LazyMesh.Als.Envoy;

namespace LazyMesh.Als;

/// <summary>The ALS method with a raw-bytes request marshaller, for the allocation-free server (and raw test clients).</summary>
public static class AlsGrpcMethods
{
    public const string ServiceName = "envoy.service.accesslog.v3.AccessLogService";
    public const string MethodName = "StreamAccessLogs";

    private static readonly StreamAccessLogsResponse EmptyResponse = new();

    /// <summary>Request marshaller: the payload is copied into a pooled <see cref="AlsRawMessage"/>; nothing is parsed.</summary>
    public static Marshaller<AlsRawMessage> RawMessageMarshaller { get; } = new(
        static (message, context) =>
        {
            context.SetPayloadLength(message.Length);
            var writer = context.GetBufferWriter();
            message.Span.CopyTo(writer.GetSpan(message.Length));
            writer.Advance(message.Length);
            context.Complete();
        },
        static context => AlsRawMessage.Rent(context.PayloadAsReadOnlySequence()));

    public static Marshaller<StreamAccessLogsResponse> ResponseMarshaller { get; } = new(
        static (response, context) => context.Complete(response.ToByteArray()),
        static context => context.PayloadLength == 0 ? EmptyResponse : StreamAccessLogsResponse.Parser.ParseFrom(context.PayloadAsReadOnlySequence()));

    /// <summary><c>/envoy.service.accesslog.v3.AccessLogService/StreamAccessLogs</c>, client streaming, raw request.</summary>
    public static Method<AlsRawMessage, StreamAccessLogsResponse> RawStreamAccessLogs { get; } = new(
        MethodType.ClientStreaming, ServiceName, MethodName, RawMessageMarshaller, ResponseMarshaller);
}
