namespace LazyMesh.Fallback;

/// <summary>Where the fallback takes the caller's identity from.</summary>
public enum FallbackCallerIdentity
{
    /// <summary>
    /// The client certificate the fallback's own Istio sidecar verified (<c>x-forwarded-client-cert</c>, last element);
    /// <c>x-lazymesh-source-ip</c> is believed only when the pod at that IP runs as that service account in that
    /// namespace. The default, and the only safe choice in a mesh with mTLS.
    /// </summary>
    ClientCertificate,

    /// <summary>
    /// Believe <c>x-lazymesh-source-ip</c> as sent (meshes without mTLS, the demo). Anyone who can reach the fallback can
    /// then make the controller learn dependencies for another workload (docs/security.md, "Identity").
    /// </summary>
    SourceHeader,
}
