using System.Net;
using LazyMesh.Authorization;
using LazyMesh.Mesh;
using LazyMesh.Tests.Mesh;
using Microsoft.AspNetCore.Http;

namespace LazyMesh.Tests.Authorization;

/// <summary>
/// Decisions the fallback must reach as Istio's RBAC filter does, taken from Istio's own authorization tests
/// (istio/istio 1.28.0): tests/integration/security/authz_test.go with its policies in
/// tests/integration/security/testdata/authz/*.yaml.tmpl (templates instantiated here with ns1/a as "allowed",
/// ns1/c or ns2/a as "denied", destination b in ns1 with workload ports http 18080, http2 18085), and the policy inputs of
/// pilot/pkg/security/authz/builder/testdata/http/*-in.yaml (whose expected Envoy RBAC output gives the decision).
/// </summary>
public sealed class AuthorizationDecisionTableTests
{
    private const string A = "spiffe://cluster.local/ns/ns1/sa/a";
    private const string C = "spiffe://cluster.local/ns/ns1/sa/c";
    private const string Ns2A = "spiffe://cluster.local/ns/ns2/sa/a";
    private const int Http = 18080;
    private const int Http2 = 18085;

    /// <summary>testdata/authz/allow-principal.yaml.tmpl (TestAuthz_Principal).</summary>
    private const string AllowPrincipal = """
        {selector: {matchLabels: {app: b}}, action: ALLOW, rules: [
          {to: [{operation: {ports: ["18080", "18085"], paths: [/allow], methods: [GET]}}], from: [{source: {principals: [cluster.local/ns/ns1/sa/a]}}]},
          {to: [{operation: {ports: ["7070"], paths: [/proto.EchoTestService/Echo], methods: [POST]}}], from: [{source: {principals: [cluster.local/ns/ns1/sa/a]}}]}]}
        """;

    /// <summary>testdata/authz/deny-principal.yaml.tmpl (TestAuthz_DenyPrincipal), denied = ns1/c.</summary>
    private const string DenyPrincipal = """
        {selector: {matchLabels: {app: b}}, action: DENY, rules: [
          {to: [{operation: {ports: ["18080", "18085"], paths: ["/deny*"], notPaths: [/deny/allow], methods: [GET]}}], from: [{source: {principals: [cluster.local/ns/ns1/sa/c]}}]}]}
        """;

    /// <summary>testdata/authz/deny-global.yaml.tmpl, in the root namespace.</summary>
    private const string DenyGlobal = """
        {action: DENY, rules: [{to: [{operation: {ports: ["18080", "18085"], paths: ["/global-deny*"], notPaths: [/global-deny/allow]}}]}]}
        """;

    public static TheoryData<string, string[], string?, string, string, int, bool> Cases() => new()
    {
        // TestAuthz_Principal
        { "Principal: allowed GET /allow", [AllowPrincipal], A, "GET", "/allow", Http, true },
        { "Principal: allowed GET /allow?param=value (query ignored)", [AllowPrincipal], A, "GET", "/allow?param=value", Http2, true },
        { "Principal: allowed GET /deny", [AllowPrincipal], A, "GET", "/deny", Http, false },
        { "Principal: other principal GET /allow", [AllowPrincipal], C, "GET", "/allow", Http, false },
        { "Principal: allowed POST /allow", [AllowPrincipal], A, "POST", "/allow", Http, false },
        { "Principal: gRPC rule on its port", [AllowPrincipal], A, "POST", "/proto.EchoTestService/Echo", 7070, true },

        // TestAuthz_DenyPrincipal (with deny-global)
        { "DenyPrincipal: denied /deny", [DenyPrincipal, "root:" + DenyGlobal], C, "GET", "/deny", Http, false },
        { "DenyPrincipal: denied /deny?param=value", [DenyPrincipal, "root:" + DenyGlobal], C, "GET", "/deny?param=value", Http, false },
        { "DenyPrincipal: denied /deny/allow", [DenyPrincipal, "root:" + DenyGlobal], C, "GET", "/deny/allow", Http, true },
        { "DenyPrincipal: denied /allow", [DenyPrincipal, "root:" + DenyGlobal], C, "GET", "/allow", Http, true },
        { "DenyPrincipal: other /deny", [DenyPrincipal, "root:" + DenyGlobal], A, "GET", "/deny", Http, true },
        { "DenyPrincipal: /global-deny", [DenyPrincipal, "root:" + DenyGlobal], A, "GET", "/global-deny", Http, false },
        { "DenyPrincipal: /global-deny?param=value", [DenyPrincipal, "root:" + DenyGlobal], A, "GET", "/global-deny?param=value", Http2, false },
        { "DenyPrincipal: /global-deny/allow", [DenyPrincipal, "root:" + DenyGlobal], A, "GET", "/global-deny/allow", Http, true },
        { "DenyPrincipal: /global-deny on another port", [DenyPrincipal, "root:" + DenyGlobal], A, "GET", "/global-deny", 9090, true },

        // TestAuthz_NotNamespace: testdata/authz/not-namespace.yaml.tmpl
        { "NotNamespace: from ns1", ["{selector: {matchLabels: {app: b}}, action: DENY, rules: [{from: [{source: {notNamespaces: [ns1]}}]}]}"], A, "GET", "/", Http, true },
        { "NotNamespace: from ns2", ["{selector: {matchLabels: {app: b}}, action: DENY, rules: [{from: [{source: {notNamespaces: [ns1]}}]}]}"], Ns2A, "GET", "/", Http, false },

        // TestAuthz_DenyPlaintext: testdata/authz/plaintext.yaml.tmpl (DENY notPrincipals ["*"])
        { "DenyPlaintext: mTLS caller", ["{selector: {matchLabels: {app: b}}, action: DENY, rules: [{from: [{source: {notPrincipals: [\"*\"]}}]}]}"], A, "GET", "/", Http, true },
        { "DenyPlaintext: plaintext caller", ["{selector: {matchLabels: {app: b}}, action: DENY, rules: [{from: [{source: {notPrincipals: [\"*\"]}}]}]}"], null, "GET", "/", Http, false },

        // TestAuthz_NotMethod: testdata/authz/not-method.yaml.tmpl
        { "NotMethod: GET", ["{selector: {matchLabels: {app: b}}, action: ALLOW, rules: [{to: [{operation: {notMethods: [PUT]}}]}]}"], A, "GET", "/", Http, true },
        { "NotMethod: PUT", ["{selector: {matchLabels: {app: b}}, action: ALLOW, rules: [{to: [{operation: {notMethods: [PUT]}}]}]}"], A, "PUT", "/", Http, false },

        // TestAuthz_NotPort: testdata/authz/not-port.yaml.tmpl
        { "NotPort: http", ["{selector: {matchLabels: {app: b}}, action: ALLOW, rules: [{to: [{operation: {notPorts: [\"18085\"]}}]}]}"], A, "GET", "/", Http, true },
        { "NotPort: http2", ["{selector: {matchLabels: {app: b}}, action: ALLOW, rules: [{to: [{operation: {notPorts: [\"18085\"]}}]}]}"], A, "GET", "/", Http2, false },

        // TestAuthz_PathPrecedence: testdata/authz/path-precedence.yaml.tmpl
        { "PathPrecedence: /allow/admin", [PathDeny, PathAllow], A, "GET", "/allow/admin", Http, false },
        { "PathPrecedence: /allow/admin?param=value", [PathDeny, PathAllow], A, "GET", "/allow/admin?param=value", Http, false },
        { "PathPrecedence: /allow", [PathDeny, PathAllow], A, "GET", "/allow", Http, true },
        { "PathPrecedence: /allow?param=value", [PathDeny, PathAllow], A, "GET", "/allow?param=value", Http, true },

        // TestAuthz_PathTemplating: testdata/authz/path-templating.yaml.tmpl
        { "PathTemplating: /allow/admin/", [Templates], A, "GET", "/allow/admin/", Http, true },
        { "PathTemplating: /allow/admin", [Templates], A, "GET", "/allow/admin", Http, false },
        { "PathTemplating: /allow/user/", [Templates], A, "GET", "/allow/user/", Http, false },
        { "PathTemplating: /allow/admin?param=value", [Templates], A, "GET", "/allow/admin?param=value", Http, false },
        { "PathTemplating: /allow", [Templates], A, "GET", "/allow", Http, false },
        { "PathTemplating: /allow/admin/temp", [Templates], A, "GET", "/allow/admin/temp", Http, true },
        { "PathTemplating: /allow/admin/temp.txt", [Templates], A, "GET", "/allow/admin/temp.txt", Http, true },
        { "PathTemplating: /allow/admin/foo/temp.txt", [Templates], A, "GET", "/allow/admin/foo/temp.txt", Http, true },
        { "PathTemplating: /foo/buzz/bar/bat.txt", [Templates], A, "GET", "/foo/buzz/bar/bat.txt", Http, true },
        { "PathTemplating: /foo/buzz/bar/bat.temp.txt", [Templates], A, "GET", "/foo/buzz/bar/bat.temp.txt", Http, true },
        { "PathTemplating: /foo/buzz/bar/bat/fuzz.txt", [Templates], A, "GET", "/foo/buzz/bar/bat/fuzz.txt", Http, true },
        { "PathTemplating: /foo/bar/bat.txt", [Templates], A, "GET", "/foo/bar/bat.txt", Http, false },
        { "PathTemplating: /foo//bar/bat.txt", [Templates], A, "GET", "/foo//bar/bat.txt", Http, false },
        { "PathTemplating: /foo/buzz/bar/bat", [Templates], A, "GET", "/foo/buzz/bar/bat", Http, true },
        { "PathTemplating: /store//cart", [Templates], A, "GET", "/store//cart", Http, true },
        { "PathTemplating: /store/cart", [Templates], A, "GET", "/store/cart", Http, false },
        { "PathTemplating: /store/foo/cart", [Templates], A, "GET", "/store/foo/cart", Http, true },
        { "PathTemplating: /store/foo/bar/cart", [Templates], A, "GET", "/store/foo/bar/cart", Http, true },

        // TestAuthz_Conditions: testdata/authz/conditions.yaml.tmpl (request headers, source namespace and principal; allowed ns1/a, denied ns2/a)
        { "Conditions: /request-headers x-foo: foo", [Conditions], A, "GET", "/request-headers|x-foo=foo", Http, true },
        { "Conditions: /request-headers x-foo: bar", [Conditions], A, "GET", "/request-headers|x-foo=bar", Http, false },
        { "Conditions: /request-headers-notValues x-foo: foo", [Conditions], A, "GET", "/request-headers-notValues|x-foo=foo", Http, true },
        { "Conditions: /request-headers-notValues x-foo: bar", [Conditions], A, "GET", "/request-headers-notValues|x-foo=bar", Http, false },
        { "Conditions: /source-namespace allowed", [Conditions], A, "GET", "/source-namespace", Http, true },
        { "Conditions: /source-namespace denied", [Conditions], Ns2A, "GET", "/source-namespace", Http, false },
        { "Conditions: /source-namespace-notValues allowed", [Conditions], A, "GET", "/source-namespace-notValues", Http, true },
        { "Conditions: /source-namespace-notValues denied", [Conditions], Ns2A, "GET", "/source-namespace-notValues", Http, false },
        { "Conditions: /source-principal allowed", [Conditions], A, "GET", "/source-principal", Http, true },
        { "Conditions: /source-principal denied", [Conditions], Ns2A, "GET", "/source-principal", Http, false },
        { "Conditions: /source-principal-notValues denied", [Conditions], Ns2A, "GET", "/source-principal-notValues", Http, false },
        { "Conditions: /destination-port-good", [Conditions], A, "GET", "/destination-port-good", Http, true },
        { "Conditions: /destination-port-bad", [Conditions], A, "GET", "/destination-port-bad", Http, false },
        { "Conditions: /source-ip allowed", [Conditions], A, "GET", "/source-ip", Http, true },

        // pilot/pkg/security/authz/builder/testdata/http: allow-nil-rule (matches nothing), allow-empty-rule (everything), deny-empty-rule, deny-and-allow
        { "builder allow-nil-rule-in.yaml", ["{selector: {matchLabels: {app: b}}}"], A, "GET", "/", Http, false },
        { "builder allow-empty-rule-in.yaml", ["{selector: {matchLabels: {app: b}}, rules: [{}]}"], A, "GET", "/", Http, true },
        { "builder deny-empty-rule-in.yaml", ["{action: DENY, selector: {matchLabels: {app: b}}, rules: [{}]}"], A, "GET", "/", Http, false },
        { "builder deny-and-allow-in.yaml: allow", [DenyPrincipalDeny, AllowPrincipalAllow], "spiffe://allow", "GET", "/", Http, true },
        { "builder deny-and-allow-in.yaml: deny", [DenyPrincipalDeny, AllowPrincipalAllow], "spiffe://deny", "GET", "/", Http, false },
        { "builder deny-and-allow-in.yaml: neither", [DenyPrincipalDeny, AllowPrincipalAllow], "spiffe://other", "GET", "/", Http, false },
        { "builder simple-policy-principal-with-wildcard-in.yaml", ["{selector: {matchLabels: {app: b}}, rules: [{from: [{source: {principals: [\"*/ns/foo/sa/x\", \"*bar/ns/foo/sa/y\"]}}]}]}"], "spiffe://td.bar/ns/foo/sa/y", "GET", "/", Http, true },

        // Selection (pilot/pkg/model/authorization.go ListAuthorizationPolicies, policyattachment.go): another app's policy does not apply;
        // targetRefs never attach to a sidecar; a dry-run policy is not enforced.
        { "selector of another workload", ["{selector: {matchLabels: {app: other}}, rules: []}"], A, "GET", "/", Http, true },
        { "targetRefs do not attach to sidecars", ["{targetRefs: [{kind: Service, group: \"\", name: b}], action: DENY, rules: [{}]}"], A, "GET", "/", Http, true },
        { "dry-run DENY is not enforced", ["dryrun:{action: DENY, rules: [{}]}"], A, "GET", "/", Http, true },
        { "another namespace's policy does not apply", ["other:{action: DENY, rules: [{}]}"], A, "GET", "/", Http, true },

        // What the fallback cannot see is evaluated fail-closed (docs/security.md, "Authorization").
        { "JWT claim in an ALLOW: unknown, not allowed", ["{rules: [{when: [{key: \"request.auth.claims[iss]\", values: [issuer]}]}]}"], A, "GET", "/", Http, false },
        { "JWT principal in a DENY: unknown, denied", ["{action: DENY, rules: [{from: [{source: {notRequestPrincipals: [\"*\"]}}]}]}"], A, "GET", "/", Http, false },
        { "an unknown when key skips the rule", ["{action: DENY, rules: [{when: [{key: no.such.key, values: [x]}]}]}"], A, "GET", "/", Http, true },
        { "a bad ipBlock skips an ALLOW rule", ["{rules: [{from: [{source: {ipBlocks: [not-an-ip]}}]}]}"], A, "GET", "/", Http, false },
        { "a bad ipBlock is dropped from a DENY rule", ["{action: DENY, rules: [{from: [{source: {ipBlocks: [not-an-ip]}}]}]}"], A, "GET", "/", Http, false },
        { "hosts ignore case", ["{rules: [{to: [{operation: {hosts: [B.NS1.svc.cluster.local]}}]}]}"], A, "GET", "/", Http, true },
        { "namespace wildcard", ["{rules: [{from: [{source: {namespaces: [\"ns*\"]}}]}]}"], A, "GET", "/", Http, true },
        { "service account", ["{rules: [{from: [{source: {serviceAccounts: [a]}}]}]}"], A, "GET", "/", Http, true },
        { "service account in another namespace", ["{rules: [{from: [{source: {serviceAccounts: [ns2/a]}}]}]}"], A, "GET", "/", Http, false },
    };

    private const string PathDeny = "{selector: {matchLabels: {app: b}}, action: DENY, rules: [{to: [{operation: {paths: [/allow/admin]}}]}]}";
    private const string PathAllow = "{selector: {matchLabels: {app: b}}, action: ALLOW, rules: [{to: [{operation: {paths: [\"/allow*\"]}}]}]}";
    private const string Templates = "{selector: {matchLabels: {app: b}}, action: ALLOW, rules: [{to: [{operation: {paths: [\"/allow/admin/{**}\", \"/foo/{*}/bar/{**}\", \"/store/{**}/cart\"]}}]}]}";
    private const string DenyPrincipalDeny = "{action: DENY, rules: [{from: [{source: {principals: [deny]}}]}]}";
    private const string AllowPrincipalAllow = "{action: ALLOW, rules: [{from: [{source: {principals: [allow]}}]}]}";

    private const string Conditions = """
        {selector: {matchLabels: {app: b}}, rules: [
          {to: [{operation: {paths: [/request-headers]}}], when: [{key: "request.headers[x-foo]", values: [foo]}]},
          {to: [{operation: {paths: [/request-headers-notValues]}}], when: [{key: "request.headers[x-foo]", notValues: [bar]}]},
          {to: [{operation: {paths: [/source-ip]}}], when: [{key: source.ip, values: [10.1.0.5]}]},
          {to: [{operation: {paths: [/source-namespace]}}], when: [{key: source.namespace, values: [ns1]}]},
          {to: [{operation: {paths: [/source-namespace-notValues]}}], when: [{key: source.namespace, notValues: [ns2]}]},
          {to: [{operation: {paths: [/source-principal]}}], when: [{key: source.principal, values: [cluster.local/ns/ns1/sa/a]}]},
          {to: [{operation: {paths: [/source-principal-notValues]}}], when: [{key: source.principal, notValues: [cluster.local/ns/ns2/sa/a]}]},
          {to: [{operation: {paths: [/destination-port-good]}}], when: [{key: destination.port, values: ["18080"]}]},
          {to: [{operation: {paths: [/destination-port-bad]}}], when: [{key: destination.port, values: ["1"]}]}]}
        """;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides_as_istio(string name, string[] policies, string? peerUri, string method, string target, int port, bool allowed)
    {
        var documents = new List<string>
        {
            MeshYaml.Pod("b-1", "10.1.0.20", ns: "ns1", labels: "{app: b}", serviceAccount: "b"),
            MeshYaml.Service("b", "10.96.0.20", ns: "ns1", selector: "{app: b}"),
        };
        var i = 0;
        foreach (var policy in policies)
        {
            var (ns, spec, annotations) = policy switch
            {
                _ when policy.StartsWith("root:", StringComparison.Ordinal) => ("istio-system", policy[5..], "{}"),
                _ when policy.StartsWith("other:", StringComparison.Ordinal) => ("ns2", policy[6..], "{}"),
                _ when policy.StartsWith("dryrun:", StringComparison.Ordinal) => ("ns1", policy[7..], "{istio.io/dry-run: \"true\"}"),
                _ => ("ns1", policy, "{}"),
            };
            documents.Add(MeshYaml.AuthorizationPolicy($"p{i++}", ns, spec.ReplaceLineEndings(" "), annotations));
        }

        var mesh = MeshYaml.Index([.. documents]);
        var index = AuthorizationIndex.Build(mesh);
        var service = mesh.Services.Single(s => s.Name == "b");

        // "path|header=value": a request header; the query string is not part of the path Envoy's matcher sees.
        var parts = target.Split('|');
        var headers = new HeaderDictionary();
        foreach (var header in parts.Skip(1))
        {
            headers[header[..header.IndexOf('=', StringComparison.Ordinal)]] = header[(header.IndexOf('=', StringComparison.Ordinal) + 1)..];
        }

        var path = parts[0].Split('?')[0];
        var decision = index.Check(service, new AuthorizationRequest(peerUri, IPAddress.Parse("10.1.0.5"), "b.ns1.svc.cluster.local", method, path, port, headers));

        Assert.True(allowed == decision.Allowed, $"{name}: expected {(allowed ? "allow" : "deny")}, got {(decision.Allowed ? "allow" : "deny")}; problems: {string.Join("; ", index.Problems)}");
    }
}
