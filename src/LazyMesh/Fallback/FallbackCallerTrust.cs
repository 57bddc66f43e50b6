namespace LazyMesh.Fallback;

/// <summary>Whether a call's reported caller may be learned from, and if not, why not.</summary>
public enum FallbackCallerTrust
{
    /// <summary>The source IP's pod runs as the certificate's namespace and service account.</summary>
    Verified,

    /// <summary><see cref="FallbackCallerIdentity.SourceHeader"/>: the header is believed as sent.</summary>
    TrustedHeader,

    /// <summary>No client certificate (plaintext to the fallback's sidecar, or no sidecar in front).</summary>
    NoIdentity,

    /// <summary>No pod at the claimed source IP.</summary>
    UnknownSource,

    /// <summary>The pod at the claimed source IP runs as another namespace or service account than the certificate says.</summary>
    SourceMismatch,
}
