using System.Globalization;
using System.Net;
using LazyMesh.Istio;

namespace LazyMesh.Authorization;

/// <summary>
/// Compiles an Istio AuthorizationPolicy to request matchers with the semantics of the Envoy RBAC configuration
/// istiod generates for a sidecar's inbound HTTP chain (istio/istio 1.28 pilot/pkg/security/authz/model/model.go
/// <c>New</c>/<c>Generate</c>, generator.go, matcher/): a rule is (any <c>from</c>) and (any <c>to</c>) and (every
/// <c>when</c>); within a source or operation every field must match; a field matches when any of its values does and
/// none of its <c>not</c> values does. A rule with an unknown <c>when</c> key is skipped; a value that cannot be compiled
/// (bad CIDR, bad port) skips the whole rule for ALLOW and is dropped for DENY/AUDIT (<c>rule.checkError</c>).
/// Attributes the fallback cannot know (JWT claims and request principals it cannot verify, <c>destination.ip</c>,
/// <c>connection.sni</c>, Envoy metadata) evaluate to <see cref="Tri.Unknown"/>.
/// </summary>
public static class AuthorizationPolicyCompiler
{
    private const string AttrRequestHeader = "request.headers";
    private const string AttrRequestClaims = "request.auth.claims";

    private static readonly RequestMatcher Always = static (in AuthorizationRequest _) => Tri.True;
    private static readonly RequestMatcher Unknown = static (in AuthorizationRequest _) => Tri.Unknown;

    public static AuthorizationAction ActionOf(AuthorizationPolicyResource policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.Spec.Action?.ToUpperInvariant() switch
        {
            null or "" or "ALLOW" => AuthorizationAction.Allow,
            "DENY" => AuthorizationAction.Deny,
            "AUDIT" => AuthorizationAction.Audit,
            "CUSTOM" => AuthorizationAction.Custom,
            var other => throw new ArgumentException($"AuthorizationPolicy {policy.Metadata.NamespaceProperty}/{policy.Metadata.Name}: unknown action {other}", nameof(policy)),
        };
    }

    public static CompiledPolicy Compile(AuthorizationPolicyResource policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var ns = policy.Metadata.NamespaceProperty ?? "default";
        var name = $"{ns}/{policy.Metadata.Name}";
        var action = ActionOf(policy);
        var dryRun = policy.Metadata.Annotations?.TryGetValue(AuthorizationPolicyResource.DryRunAnnotation, out var dry) == true
            && bool.TryParse(dry, out var isDry) && isDry;
        var rules = new List<RequestMatcher>();
        var problems = new List<string>();
        var index = 0;
        foreach (var rule in policy.Spec.Rules ?? [])
        {
            var ruleName = $"{name} rule {index++}";
            if (rule is null)
            {
                problems.Add($"{ruleName}: skipped nil rule");
                continue;
            }

            var errors = new List<string>();
            var compiled = CompileRule(rule, ns, errors);
            if (compiled is null || (action == AuthorizationAction.Allow && errors.Count > 0))
            {
                problems.Add($"{ruleName}: skipped: {string.Join("; ", errors)}");
                continue;
            }

            if (errors.Count > 0)
            {
                problems.Add($"{ruleName}: values dropped: {string.Join("; ", errors)}");
            }

            rules.Add(compiled);
        }

        return new CompiledPolicy(name, action, dryRun, rules, problems);
    }

    /// <returns>Null when the rule is invalid as a whole (an unknown <c>when</c> key).</returns>
    private static RequestMatcher? CompileRule(AuthorizationRule rule, string policyNamespace, List<string> errors)
    {
        var conditions = new List<RequestMatcher>();
        foreach (var when in rule.When ?? [])
        {
            if (when is null)
            {
                continue;
            }

            var key = when.Key ?? string.Empty;
            Func<string, RequestMatcher>? value = key switch
            {
                "source.ip" or "remote.ip" => SourceIp,
                "source.namespace" => SourceNamespace,
                "source.serviceAccount" => v => SourceServiceAccount(policyNamespace, v),
                "source.principal" => SourcePrincipal,
                "destination.port" => DestinationPort,
                "destination.ip" => v => ParseCidr(v) is not null ? Unknown : throw new FormatException($"destination.ip: '{v}' is not an IP or CIDR"),
                "connection.sni" => _ => Unknown,
                "request.auth.principal" or "request.auth.audiences" or "request.auth.presenter" => _ => Unknown,
                _ when key.StartsWith(AttrRequestClaims, StringComparison.Ordinal) => _ => Unknown,
                _ when key.StartsWith("experimental.envoy.filters.", StringComparison.Ordinal) => _ => Unknown,
                _ when key.StartsWith(AttrRequestHeader, StringComparison.Ordinal) => RequestHeader(key),
                _ => null,
            };
            if (value is null)
            {
                errors.Add($"unknown attribute {key}");
                return null;
            }

            conditions.Add(Field(key, when.Values, when.NotValues, value, errors));
        }

        var from = new List<RequestMatcher>();
        foreach (var source in (rule.From ?? []).Select(f => f?.Source))
        {
            if (source is null)
            {
                from.Add(Always);
                continue;
            }

            from.Add(All(
                Field("principals", source.Principals, source.NotPrincipals, SourcePrincipal, errors),
                Field("requestPrincipals", source.RequestPrincipals, source.NotRequestPrincipals, _ => Unknown, errors),
                Field("serviceAccounts", source.ServiceAccounts, source.NotServiceAccounts, v => SourceServiceAccount(policyNamespace, v), errors),
                Field("namespaces", source.Namespaces, source.NotNamespaces, SourceNamespace, errors),
                Field("remoteIpBlocks", source.RemoteIpBlocks, source.NotRemoteIpBlocks, SourceIp, errors),
                Field("ipBlocks", source.IpBlocks, source.NotIpBlocks, SourceIp, errors)));
        }

        var to = new List<RequestMatcher>();
        foreach (var operation in (rule.To ?? []).Select(t => t?.Operation))
        {
            if (operation is null)
            {
                to.Add(Always);
                continue;
            }

            to.Add(All(
                Field("hosts", operation.Hosts, operation.NotHosts, Host, errors),
                Field("methods", operation.Methods, operation.NotMethods, Method, errors),
                Field("paths", operation.Paths, operation.NotPaths, Path, errors),
                Field("ports", operation.Ports, operation.NotPorts, DestinationPort, errors)));
        }

        if (from.Count > 0)
        {
            conditions.Add(Any(from));
        }

        if (to.Count > 0)
        {
            conditions.Add(Any(to));
        }

        return All([.. conditions]);
    }

    /// <summary>(any of <paramref name="values"/>) and not (any of <paramref name="notValues"/>); a list left empty adds no condition.</summary>
    private static RequestMatcher Field(string key, IList<string>? values, IList<string>? notValues, Func<string, RequestMatcher> compile, List<string> errors)
    {
        var positive = CompileAll(key, values, compile, errors);
        var negative = CompileAll(key, notValues, compile, errors);
        return (positive.Count, negative.Count) switch
        {
            (0, 0) => Always,
            (_, 0) => Any(positive),
            (0, _) => Not(Any(negative)),
            _ => All(Any(positive), Not(Any(negative))),
        };
    }

    private static List<RequestMatcher> CompileAll(string key, IList<string>? values, Func<string, RequestMatcher> compile, List<string> errors)
    {
        var matchers = new List<RequestMatcher>();
        foreach (var value in values ?? [])
        {
            try
            {
                matchers.Add(compile(value));
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or System.Text.RegularExpressions.RegexParseException)
            {
                errors.Add($"{key}: {ex.Message}");
            }
        }

        return matchers;
    }

    private static RequestMatcher Any(IReadOnlyList<RequestMatcher> matchers)
    {
        if (matchers.Count == 1)
        {
            return matchers[0];
        }

        var array = matchers.ToArray();
        return (in AuthorizationRequest r) =>
        {
            var result = Tri.False;
            foreach (var m in array)
            {
                result = result.Or(m(r));
                if (result == Tri.True)
                {
                    break;
                }
            }

            return result;
        };
    }

    private static RequestMatcher All(params RequestMatcher[] matchers)
    {
        var array = matchers.Where(m => m != Always).ToArray();
        if (array.Length == 0)
        {
            return Always;
        }

        if (array.Length == 1)
        {
            return array[0];
        }

        return (in AuthorizationRequest r) =>
        {
            var result = Tri.True;
            foreach (var m in array)
            {
                result = result.And(m(r));
                if (result == Tri.False)
                {
                    break;
                }
            }

            return result;
        };
    }

    private static RequestMatcher Not(RequestMatcher matcher) => (in AuthorizationRequest r) => matcher(r).Not();

    // ---- principals: Envoy's "authenticated" principal matcher; never matches without a client certificate ----

    private static RequestMatcher Authenticated(Func<string, bool> uriMatches) =>
        (in AuthorizationRequest r) => TriLogic.From(r.PeerUri is { } uri && uriMatches(uri));

    /// <summary>generator.go <c>srcPrincipalGenerator</c>: <c>StringMatcherWithPrefix(value, "spiffe://")</c>.</summary>
    private static RequestMatcher SourcePrincipal(string value) => Authenticated(IstioStringPattern.String(value, SpiffeId.Scheme));

    /// <summary>generator.go <c>srcNamespaceGenerator</c>: the regex <c>.*/ns/&lt;value, * as .*&gt;/.*</c>.</summary>
    private static RequestMatcher SourceNamespace(string value) =>
        Authenticated(IstioStringPattern.FullRegex($".*/ns/{value.Replace("*", ".*", StringComparison.Ordinal)}/.*"));

    /// <summary>generator.go <c>serviceAccountRegex</c>: <c>spiffe://.+/ns/NS/(.+/|)sa/SA(/.+)?</c>, NS defaulting to the policy's.</summary>
    private static RequestMatcher SourceServiceAccount(string policyNamespace, string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var (ns, sa) = slash < 0 ? (policyNamespace, value) : (value[..slash], value[(slash + 1)..]);
        return Authenticated(IstioStringPattern.FullRegex($"spiffe://.+/ns/{ns}/(.+/|)sa/{sa}(/.+)?"));
    }

    private static RequestMatcher SourceIp(string value)
    {
        var network = ParseCidr(value) ?? throw new FormatException($"'{value}' is not an IP or CIDR");
        return (in AuthorizationRequest r) => r.SourceIp is { } ip ? TriLogic.From(network.Contains(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip)) : Tri.Unknown;
    }

    /// <summary>pilot/pkg/networking/util <c>AddrStrToCidrRange</c>: an address (a /32 or /128) or a CIDR.</summary>
    private static IPNetwork? ParseCidr(string value)
    {
        if (value.Contains('/', StringComparison.Ordinal))
        {
            return IPNetwork.TryParse(value, out var network) ? network : null;
        }

        return IPAddress.TryParse(value, out var ip) ? new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128) : null;
    }

    private static RequestMatcher DestinationPort(string value)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new FormatException($"'{value}' is not a port");
        }

        return (in AuthorizationRequest r) => TriLogic.From(r.DestinationPort == port);
    }

    private static RequestMatcher Host(string value)
    {
        var match = IstioStringPattern.Header(value, ignoreCase: true);
        return (in AuthorizationRequest r) => TriLogic.From(match(r.Host));
    }

    private static RequestMatcher Method(string value)
    {
        var match = IstioStringPattern.Header(value, ignoreCase: false);
        return (in AuthorizationRequest r) => TriLogic.From(match(r.Method));
    }

    private static RequestMatcher Path(string value)
    {
        var match = IstioStringPattern.IsPathTemplate(value) ? IstioStringPattern.PathTemplate(value) : IstioStringPattern.String(value);
        return (in AuthorizationRequest r) => TriLogic.From(match(r.Path));
    }

    /// <summary><c>request.headers[name]</c> (model.go <c>extractNameInBrackets</c>), matched as <c>HeaderMatcher</c>.</summary>
    private static Func<string, RequestMatcher> RequestHeader(string key)
    {
        var rest = key[AttrRequestHeader.Length..];
        if (rest.Length < 3 || rest[0] != '[' || rest[^1] != ']')
        {
            return _ => throw new FormatException($"{key}: the header name must be in brackets");
        }

        var name = rest[1..^1];
        return value =>
        {
            var match = IstioStringPattern.Header(value, ignoreCase: false);
            return (in AuthorizationRequest r) => TriLogic.From(match(r.Header(name)));
        };
    }
}
