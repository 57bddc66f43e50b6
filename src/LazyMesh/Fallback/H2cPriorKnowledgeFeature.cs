using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace LazyMesh.Fallback;

/// <summary>
/// Set on a cleartext connection that opened with the HTTP/2 preface. Kestrel picks HTTP/2 on an
/// <c>Http1AndHttp2</c> endpoint only when the connection has a TLS feature whose ALPN protocol is <c>h2</c>; this
/// says exactly that, without a certificate. See <see cref="H2cPriorKnowledgeDetection"/>.
/// </summary>
internal sealed class H2cPriorKnowledgeFeature : ITlsConnectionFeature, ITlsApplicationProtocolFeature
{
    private static readonly byte[] H2 = "h2"u8.ToArray();

    public static H2cPriorKnowledgeFeature Instance { get; } = new();

    public X509Certificate2? ClientCertificate
    {
        get => null;
        set => throw new NotSupportedException("A cleartext connection has no client certificate.");
    }

    public ReadOnlyMemory<byte> ApplicationProtocol => H2;

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
}
