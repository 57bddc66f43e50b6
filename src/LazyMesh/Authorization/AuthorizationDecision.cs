namespace LazyMesh.Authorization;

/// <summary>The outcome of checking one request against a destination's AuthorizationPolicies.</summary>
/// <param name="Allowed">False when Istio's RBAC filter would answer 403 <c>RBAC: access denied</c>.</param>
/// <param name="Policy">The deciding policy (<c>namespace/name</c>) for a denial by DENY; null otherwise.</param>
/// <param name="AuditMatched">An AUDIT policy matched (Envoy logs it; nothing is enforced).</param>
/// <param name="CustomUnsupported">A CUSTOM (ext_authz) policy applies; the fallback cannot evaluate it.</param>
public readonly record struct AuthorizationDecision(bool Allowed, string? Policy, bool AuditMatched, bool CustomUnsupported)
{
    public static AuthorizationDecision Allow { get; } = new(true, null, false, false);

    /// <summary>Envoy's local reply body for a request its RBAC filter denies.</summary>
    public const string DeniedBody = "RBAC: access denied";
}
