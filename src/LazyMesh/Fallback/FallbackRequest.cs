using System.Net;

namespace LazyMesh.Fallback;

/// <summary>What the fallback knows about one incoming call before resolving it. Null means absent.</summary>
/// <param name="Authority">The Host / :authority as the caller used it.</param>
/// <param name="OriginalDestination">The <c>x-lazymesh-original-dst</c> header: the original destination IP:port.</param>
/// <param name="SourceAddress">The <c>x-lazymesh-source-ip</c> header: the calling pod's IP.</param>
/// <param name="SourceNamespace">The <c>x-lazymesh-source-namespace</c> header.</param>
/// <param name="RemoteAddress">The connection's remote IP (the caller when there is no sidecar in between).</param>
public readonly record struct FallbackRequest(
    string? Authority,
    string? OriginalDestination,
    string? SourceAddress,
    string? SourceNamespace,
    IPAddress? RemoteAddress);
