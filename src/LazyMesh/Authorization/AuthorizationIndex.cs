using System.Collections.Frozen;
using LazyMesh.Istio;
using LazyMesh.Mesh;

namespace LazyMesh.Authorization;

/// <summary>
/// For every mesh destination, the AuthorizationPolicies of the workloads behind it, built once per
/// <see cref="MeshIndex"/> (immutable; lookups take no locks). Which policies apply to a sidecar workload follows
/// istio/istio 1.28 pilot/pkg/model/authorization.go <c>ListAuthorizationPolicies</c> and policyattachment.go
/// <c>ShouldAttachPolicy</c>: policies in the root namespace and in the workload's namespace; a policy with
/// <c>targetRef</c>/<c>targetRefs</c> never attaches to a sidecar; otherwise a policy without a selector applies to every
/// workload it can see (mesh-wide from the root namespace), one with a selector when its labels are a subset of the
/// pod's. A Service's workloads are its selected pods; when they differ, a request is denied if any of them would deny
/// it (the fallback cannot know which endpoint the sidecar picks). ServiceEntry and ExternalName destinations have no
/// pods here and so no policies.
/// </summary>
public sealed class AuthorizationIndex
{
    private readonly FrozenDictionary<MeshService, WorkloadAuthorization[]> _byService;

    private AuthorizationIndex(MeshIndex mesh, FrozenDictionary<MeshService, WorkloadAuthorization[]> byService, IReadOnlyList<string> problems)
    {
        Mesh = mesh;
        _byService = byService;
        Problems = problems;
    }

    public MeshIndex Mesh { get; }

    /// <summary>Rules and values istiod would skip (invalid), and actions that cannot be evaluated here.</summary>
    public IReadOnlyList<string> Problems { get; }

    public static AuthorizationIndex Build(MeshIndex mesh, string rootNamespace = "istio-system")
    {
        ArgumentNullException.ThrowIfNull(mesh);
        var problems = new List<string>();
        var compiled = new List<(AuthorizationPolicyResource Resource, CompiledPolicy Policy)>();
        foreach (var resource in mesh.AuthorizationPolicies)
        {
            try
            {
                var policy = AuthorizationPolicyCompiler.Compile(resource);
                problems.AddRange(policy.Problems);
                compiled.Add((resource, policy));
            }
            catch (ArgumentException ex)
            {
                problems.Add(ex.Message);
            }
        }

        var byNamespace = compiled.ToLookup(c => c.Resource.Metadata.NamespaceProperty ?? "default", StringComparer.Ordinal);
        var cache = new Dictionary<string, WorkloadAuthorization>(StringComparer.Ordinal);
        var byService = new Dictionary<MeshService, WorkloadAuthorization[]>(ReferenceEqualityComparer.Instance);
        if (compiled.Count > 0)
        {
            var podsByNamespace = mesh.Pods.ToLookup(p => p.Namespace, StringComparer.Ordinal);
            foreach (var service in mesh.Services)
            {
                if (service.Selector is not { Count: > 0 } selector)
                {
                    continue;
                }

                var sets = new List<WorkloadAuthorization>();
                foreach (var pod in podsByNamespace[service.Namespace])
                {
                    if (!Labels.Matches(selector, pod.Labels))
                    {
                        continue;
                    }

                    var applicable = Applicable(byNamespace, rootNamespace, pod).ToArray();
                    var key = string.Join('\n', applicable.Select(p => p.Name));
                    if (!cache.TryGetValue(key, out var set))
                    {
                        cache[key] = set = applicable.Length == 0 ? WorkloadAuthorization.None : new WorkloadAuthorization(applicable);
                    }

                    if (!set.IsEmpty && !sets.Contains(set))
                    {
                        sets.Add(set);
                    }
                }

                if (sets.Count > 0)
                {
                    byService[service] = [.. sets];
                }
            }
        }

        return new AuthorizationIndex(mesh, byService.ToFrozenDictionary(ReferenceEqualityComparer.Instance), problems);
    }

    /// <summary>Checks one request to <paramref name="destination"/> as the destination's sidecar would.</summary>
    public AuthorizationDecision Check(MeshService destination, in AuthorizationRequest request)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!_byService.TryGetValue(destination, out var sets))
        {
            return AuthorizationDecision.Allow;
        }

        var audited = false;
        var custom = false;
        foreach (var set in sets)
        {
            var decision = set.Evaluate(request);
            if (!decision.Allowed)
            {
                return decision;
            }

            audited |= decision.AuditMatched;
            custom |= decision.CustomUnsupported;
        }

        return new AuthorizationDecision(true, null, audited, custom);
    }

    private static IEnumerable<CompiledPolicy> Applicable(ILookup<string, (AuthorizationPolicyResource Resource, CompiledPolicy Policy)> byNamespace, string rootNamespace, PodInfo pod)
    {
        IEnumerable<string> namespaces = pod.Namespace == rootNamespace ? [rootNamespace] : [rootNamespace, pod.Namespace];
        foreach (var ns in namespaces)
        {
            foreach (var (resource, policy) in byNamespace[ns])
            {
                if (resource.Spec.TargetRef is not null || resource.Spec.TargetRefs is { Count: > 0 })
                {
                    continue;
                }

                var selector = resource.Spec.Selector?.MatchLabels;
                if (selector is null || Labels.Matches(Labels.Copy(selector), pod.Labels))
                {
                    yield return policy;
                }
            }
        }
    }
}
