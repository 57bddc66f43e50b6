namespace LazyMesh.Authorization;

/// <summary>
/// One AuthorizationPolicy compiled for HTTP: it matches a request when any of its rules does (a policy without rules
/// matches nothing, builder.go <c>rbacPolicyMatchNever</c>).
/// </summary>
/// <param name="Name"><c>namespace/name</c>.</param>
/// <param name="Rules">Rules that compiled; invalid ones are dropped as istiod drops them (and reported in <see cref="Problems"/>).</param>
public sealed record CompiledPolicy(string Name, AuthorizationAction Action, bool DryRun, IReadOnlyList<RequestMatcher> Rules, IReadOnlyList<string> Problems)
{
    public Tri Match(in AuthorizationRequest request)
    {
        var result = Tri.False;
        foreach (var rule in Rules)
        {
            result = result.Or(rule(request));
            if (result == Tri.True)
            {
                break;
            }
        }

        return result;
    }
}
