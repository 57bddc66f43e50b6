using System.Text.Json.Nodes;

namespace LazyMesh.KubeTesting;

/// <summary>
/// RBAC as the real authorizer evaluates it, from the Role, ClusterRole, RoleBinding and ClusterRoleBinding objects in
/// the store: a ServiceAccount may do a request when a ClusterRoleBinding grants it a ClusterRole with a matching
/// rule, or a RoleBinding in the request's namespace grants it a Role (of that namespace) or a ClusterRole with one.
/// A rule matches on apiGroups, resources (<c>resource/subresource</c> for subresources), verbs (<c>*</c> wildcards)
/// and resourceNames (a rule with names never matches create, list, watch or deletecollection). No aggregation, no
/// escalation checks, no non-resource URLs (discovery is open to every authenticated identity).
/// </summary>
internal sealed class RbacAuthorizer(ObjectStore store, ResourceRegistry registry)
{
    public bool Allows(KubeIdentity identity, KubeRequestInfo request)
    {
        if (identity.IsAdmin)
        {
            return true;
        }

        var resource = request.ResourceWithSubresource;
        foreach (var rules in RulesFor(identity, request.Namespace))
        {
            if (rules.Any(r => Matches(r, request, resource)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The message of the 403, worded as kube-apiserver words it.</summary>
    public static string Denial(KubeIdentity identity, KubeRequestInfo r) =>
        $"{(r.Name is null ? r.Resource : $"{r.Resource} \"{r.Name}\"")} is forbidden: User \"{identity.UserName}\" cannot {r.Verb} resource \"{r.ResourceWithSubresource}\" in API group \"{r.Group}\""
        + (r.Namespace is null ? " at the cluster scope" : $" in the namespace \"{r.Namespace}\"");

    private IEnumerable<JsonArray> RulesFor(KubeIdentity identity, string? ns)
    {
        foreach (var binding in store.Objects(Type("clusterrolebindings"), null).Where(b => Binds(b, identity)))
        {
            if (RoleRules(binding, null) is { } rules)
            {
                yield return rules;
            }
        }

        if (ns is null)
        {
            yield break;
        }

        foreach (var binding in store.Objects(Type("rolebindings"), ns).Where(b => Binds(b, identity)))
        {
            if (RoleRules(binding, ns) is { } rules)
            {
                yield return rules;
            }
        }
    }

    private JsonArray? RoleRules(JsonObject binding, string? bindingNamespace)
    {
        var kind = (string?)binding["roleRef"]?["kind"];
        var name = (string?)binding["roleRef"]?["name"];
        if (name is null)
        {
            return null;
        }

        var role = kind switch
        {
            "ClusterRole" => store.Snapshot(Type("clusterroles"), null, name),
            "Role" when bindingNamespace is not null => store.Snapshot(Type("roles"), bindingNamespace, name),
            _ => null,
        };
        return role?["rules"] as JsonArray;
    }

    private static bool Binds(JsonObject binding, KubeIdentity identity) =>
        (binding["subjects"] as JsonArray ?? []).Any(s =>
            (string?)s?["kind"] == "ServiceAccount" && (string?)s?["name"] == identity.ServiceAccountName && (string?)s?["namespace"] == identity.ServiceAccountNamespace);

    private static bool Matches(JsonNode? rule, KubeRequestInfo request, string resource)
    {
        if (!Contains(rule?["apiGroups"], request.Group) || !Contains(rule?["resources"], resource) || !Contains(rule?["verbs"], request.Verb))
        {
            return false;
        }

        if (rule?["resourceNames"] is JsonArray { Count: > 0 } names)
        {
            return request.Name is not null && names.Any(n => (string?)n == request.Name);
        }

        return true;
    }

    private static bool Contains(JsonNode? list, string value) =>
        list is JsonArray array && array.Any(v => (string?)v is { } s && (s == "*" || s == value));

    private KubeResourceType Type(string plural) => registry.Find("rbac.authorization.k8s.io", plural)!;
}
