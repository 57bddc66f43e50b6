using LazyMesh.Inventory;
using LazyMesh.Mesh;

namespace LazyMesh.Tests.Mesh;

/// <summary>Compact inline YAML for index tests (flow style, so arguments need no indentation).</summary>
internal static class MeshYaml
{
    public static string Pod(
        string name,
        string? ip,
        string ns = "default",
        string labels = "{app: web}",
        string? owner = null,
        string phase = "Running",
        bool ready = true,
        bool hostNetwork = false,
        string created = "2025-01-01T00:00:00Z",
        bool terminating = false,
        string? ips = null,
        string ports = "[]",
        string? serviceAccount = null)
    {
        var ownerRefs = owner is null ? string.Empty : $", ownerReferences: [{{apiVersion: v1, kind: {owner.Split('/')[0]}, name: {owner.Split('/')[1]}, uid: u, controller: true}}]";
        var deletion = terminating ? ", deletionTimestamp: \"2025-06-01T00:00:00Z\"" : string.Empty;
        var podIps = ips ?? (ip is null ? "[]" : $"[{{ip: \"{ip}\"}}]");
        var podIp = ip is null ? string.Empty : $", podIP: \"{ip}\"";
        return $$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: {{name}}, namespace: {{ns}}, labels: {{labels}}, creationTimestamp: "{{created}}"{{ownerRefs}}{{deletion}}}
            spec: {hostNetwork: {{(hostNetwork ? "true" : "false")}}, {{(serviceAccount is null ? string.Empty : $"serviceAccountName: {serviceAccount}, ")}}containers: [{name: c, image: i, ports: {{ports}}}]}
            status: {phase: {{phase}}{{podIp}}, podIPs: {{podIps}}, conditions: [{type: Ready, status: "{{(ready ? "True" : "False")}}"}]}
            """;
    }

    public static string Service(
        string name,
        string? clusterIp,
        string ns = "default",
        string ports = "[{name: http, port: 9080, targetPort: 9080}]",
        string? selector = "{app: web}",
        string? type = null,
        string? extra = null)
    {
        var ip = clusterIp is null ? string.Empty : $"clusterIP: \"{clusterIp}\", ";
        var sel = selector is null ? string.Empty : $", selector: {selector}";
        var t = type is null ? string.Empty : $", type: {type}";
        return $$"""
            apiVersion: v1
            kind: Service
            metadata: {name: {{name}}, namespace: {{ns}}}
            spec: { {{ip}}ports: {{ports}}{{sel}}{{t}}{{extra}} }
            """;
    }

    public static string Owner(string kind, string name, string ns = "default", string? selector = "{matchLabels: {app: web}}", string? owner = null, string annotations = "{}")
    {
        var apiVersion = kind is "Job" or "CronJob" ? "batch/v1" : "apps/v1";
        var ownerRefs = owner is null ? string.Empty : $", ownerReferences: [{{apiVersion: apps/v1, kind: {owner.Split('/')[0]}, name: {owner.Split('/')[1]}, uid: u, controller: true}}]";
        var spec = selector is null ? "{}" : $"{{selector: {selector}}}";
        return $$"""
            apiVersion: {{apiVersion}}
            kind: {{kind}}
            metadata: {name: {{name}}, namespace: {{ns}}, annotations: {{annotations}}{{ownerRefs}}}
            spec: {{spec}}
            """;
    }

    /// <summary>An Istio AuthorizationPolicy with a flow-style <paramref name="spec"/>.</summary>
    public static string AuthorizationPolicy(string name, string ns, string spec, string annotations = "{}") => $$"""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: {{name}}, namespace: {{ns}}, annotations: {{annotations}}}
        spec: {{spec}}
        """;

    public static string ServiceEntry(string name, string hosts, string ns = "default", string ports = "[{number: 443, name: tls, protocol: TLS}]", string? addresses = null, string resolution = "DNS", string? endpoints = null)
    {
        var addr = addresses is null ? string.Empty : $", addresses: {addresses}";
        var eps = endpoints is null ? string.Empty : $", endpoints: {endpoints}";
        return $$"""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: {{name}}, namespace: {{ns}}}
            spec: {hosts: {{hosts}}, ports: {{ports}}, resolution: {{resolution}}{{addr}}{{eps}}}
            """;
    }

    public static MeshIndex Index(params string[] documents) => Index(MeshOptions.Default, documents);

    public static MeshIndex Index(MeshOptions options, params string[] documents) =>
        MeshIndexBuilder.Build(InventoryLoader.LoadText(string.Join("\n---\n", documents)), options);

    public static IpKey Ip(string text) => IpKey.TryParse(text, out var key) ? key : throw new ArgumentException(text);
}
