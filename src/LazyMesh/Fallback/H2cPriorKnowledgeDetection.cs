using System.Buffers;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace LazyMesh.Fallback;

/// <summary>
/// Connection middleware that lets one cleartext Kestrel endpoint serve both HTTP/1.1 and HTTP/2 with prior knowledge
/// (h2c, as gRPC clients and Envoy send it). Kestrel itself does not sniff: on a cleartext <c>Http1AndHttp2</c>
/// endpoint it logs <c>Http2DisabledWithHttp1AndNoTls</c> and speaks HTTP/1.1 only. This peeks at the first bytes
/// (consuming nothing) and, when they are the HTTP/2 connection preface, marks the connection with
/// <see cref="H2cPriorKnowledgeFeature"/> so that Kestrel's protocol selection picks HTTP/2.
/// Needs <c>KestrelServerOptions.AllowAlternateSchemes</c> (HTTP/2 requests then keep their <c>:scheme</c> of http).
/// </summary>
internal static class H2cPriorKnowledgeDetection
{
    /// <summary>The HTTP/2 client connection preface (RFC 9113 §3.4).</summary>
    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>
    /// The middleware, closing a connection whose first bytes do not decide the protocol within
    /// <paramref name="firstReadTimeout"/> (a silent connection, or a preface sent in part): without it such a
    /// connection would wait here forever, before Kestrel's own request-header timeout starts.
    /// </summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(TimeSpan firstReadTimeout, Action? onTimeout = null) =>
        next => async connection =>
        {
            bool isPreface;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
            {
                timeout.CancelAfter(firstReadTimeout);
                try
                {
                    isPreface = await StartsWithPrefaceAsync(connection, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!connection.ConnectionClosed.IsCancellationRequested)
                {
                    onTimeout?.Invoke();
                    connection.Abort(new ConnectionAbortedException($"no HTTP request or h2c preface within {firstReadTimeout.TotalSeconds:0.###} s"));
                    return;
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            if (isPreface)
            {
                connection.Features.Set<ITlsConnectionFeature>(H2cPriorKnowledgeFeature.Instance);
                connection.Features.Set<ITlsApplicationProtocolFeature>(H2cPriorKnowledgeFeature.Instance);
            }

            await next(connection).ConfigureAwait(false);
        };

    private static async ValueTask<bool> StartsWithPrefaceAsync(ConnectionContext connection, CancellationToken cancellationToken)
    {
        var input = connection.Transport.Input;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var verdict = Match(buffer);
            if (verdict is not null || result.IsCompleted || result.IsCanceled)
            {
                // Consume nothing: Kestrel's HTTP/1.1 or HTTP/2 parser reads the same bytes next.
                input.AdvanceTo(buffer.Start);
                return verdict ?? false;
            }

            // A prefix of the preface so far: everything examined, wait for more.
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>True: the preface; false: not it; null: a prefix of it, need more bytes.</summary>
    private static bool? Match(ReadOnlySequence<byte> buffer)
    {
        var length = (int)Math.Min(buffer.Length, Preface.Length);
        Span<byte> head = stackalloc byte[24];
        buffer.Slice(0, length).CopyTo(head);
        if (!head[..length].SequenceEqual(Preface[..length]))
        {
            return false;
        }

        return length == Preface.Length ? true : null;
    }
}
