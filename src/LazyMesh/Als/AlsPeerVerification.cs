namespace LazyMesh.Als;

/// <summary>How the ALS server decides whose entries a stream may report (docs/security.md, "Identity").</summary>
public enum AlsPeerVerification
{
    /// <summary>Credit every entry as it comes (tests, replaying log files, a trusted network).</summary>
    None,

    /// <summary>
    /// The stream's peer address must be the pod the entries are attributed to (Envoy connects from its pod's IP), or a
    /// fallback pod (a pod the fallback's Service selects), which reports for its callers.
    /// </summary>
    PodAddress,

    /// <summary>
    /// The controller runs with an Istio sidecar: the peer is the client certificate its sidecar verified
    /// (<c>x-forwarded-client-cert</c>); entries must be attributed to pods running as that namespace and service
    /// account, unless the identity is the fallback's.
    /// </summary>
    ClientCertificate,
}
