namespace LazyMesh.Authorization;

/// <summary>
/// The AuthorizationPolicies that apply to one workload, split by action, and the decision Envoy's filters would
/// reach in their order (istio/istio 1.28 pilot/pkg/security/authz/builder/builder.go <c>BuildHTTP</c>: CUSTOM, then
/// AUDIT, then DENY, then ALLOW). A DENY policy that matches (or might: <see cref="Tri.Unknown"/>) denies; when any
/// enforced ALLOW policy applies, a request is allowed only if one of them matches; dry-run policies are never enforced.
/// </summary>
public sealed class WorkloadAuthorization
{
    public WorkloadAuthorization(IEnumerable<CompiledPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var all = policies.ToArray();
        Deny = [.. all.Where(p => p.Action == AuthorizationAction.Deny && !p.DryRun)];
        Allow = [.. all.Where(p => p.Action == AuthorizationAction.Allow && !p.DryRun)];
        Audit = [.. all.Where(p => p.Action == AuthorizationAction.Audit && !p.DryRun)];
        Custom = [.. all.Where(p => p.Action == AuthorizationAction.Custom && !p.DryRun)];
    }

    public static WorkloadAuthorization None { get; } = new([]);

    public IReadOnlyList<CompiledPolicy> Deny { get; }

    public IReadOnlyList<CompiledPolicy> Allow { get; }

    public IReadOnlyList<CompiledPolicy> Audit { get; }

    public IReadOnlyList<CompiledPolicy> Custom { get; }

    public bool IsEmpty => Deny.Count == 0 && Allow.Count == 0 && Audit.Count == 0 && Custom.Count == 0;

    public AuthorizationDecision Evaluate(in AuthorizationRequest request)
    {
        var audited = false;
        foreach (var policy in Audit)
        {
            audited |= policy.Match(request) == Tri.True;
        }

        var custom = Custom.Count > 0;
        foreach (var policy in Deny)
        {
            if (policy.Match(request) != Tri.False)
            {
                return new AuthorizationDecision(false, policy.Name, audited, custom);
            }
        }

        if (Allow.Count == 0)
        {
            return new AuthorizationDecision(true, null, audited, custom);
        }

        foreach (var policy in Allow)
        {
            if (policy.Match(request) == Tri.True)
            {
                return new AuthorizationDecision(true, null, audited, custom);
            }
        }

        return new AuthorizationDecision(false, null, audited, custom);
    }
}
