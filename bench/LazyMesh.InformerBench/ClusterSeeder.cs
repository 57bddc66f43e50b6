using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace LazyMesh.InformerBench;

/// <summary>
/// Fills an API server through plain HTTP: namespaces, Deployments with one ReplicaSet each, pods owned by the
/// ReplicaSets (two containers, an Istio-like annotation set, then a status with an IP), and Services selecting them.
/// </summary>
internal sealed class ClusterSeeder(Uri baseAddress, int namespaces, int deployments, int pods, int services)
{
    private readonly HttpClient _http = new()
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromMinutes(5),
        // The test API server checks bearer tokens, as kube-apiserver does.
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", KubeTesting.KubeTestServer.AdminToken) },
    };

    public async Task SeedAsync()
    {
        await ForEachAsync(namespaces, async i => await PostAsync("api/v1/namespaces", $$$$"""{"metadata":{"name":"{{{{Ns(i)}}}}","labels":{"istio-injection":"enabled"}}}"""));
        await ForEachAsync(deployments, async d =>
        {
            var ns = Ns(d % namespaces);
            var name = $"app-{d}";
            var deployment = await PostAsync($"apis/apps/v1/namespaces/{ns}/deployments", $$$$"""
                {"metadata":{"name":"{{{{name}}}}","labels":{"app":"{{{{name}}}}"}},
                 "spec":{"replicas":{{{{pods / deployments}}}},"selector":{"matchLabels":{"app":"{{{{name}}}}"}},"template":{{{{Template(name, "")}}}}}}
                """);
            var uid = Uid(deployment);
            await PostAsync($"apis/apps/v1/namespaces/{ns}/replicasets", $$$$"""
                {"metadata":{"name":"{{{{name}}}}-7d9f","labels":{"app":"{{{{name}}}}","pod-template-hash":"7d9f"},
                  "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"{{{{name}}}}","uid":"{{{{uid}}}}","controller":true,"blockOwnerDeletion":true}]},
                 "spec":{"replicas":{{{{pods / deployments}}}},"selector":{"matchLabels":{"app":"{{{{name}}}}","pod-template-hash":"7d9f"}},"template":{{{{Template(name, "7d9f")}}}}}}
                """);
        });
        await ForEachAsync(pods, async p =>
        {
            var d = p % deployments;
            var ns = Ns(d % namespaces);
            var name = $"app-{d}-7d9f-{p / deployments:x5}";
            await PostAsync($"api/v1/namespaces/{ns}/pods", $$$$"""
                {"metadata":{"name":"{{{{name}}}}","labels":{"app":"app-{{{{d}}}}","pod-template-hash":"7d9f","security.istio.io/tlsMode":"istio","service.istio.io/canonical-name":"app-{{{{d}}}}"},
                  "annotations":{"istio.io/rev":"default","kubectl.kubernetes.io/default-container":"app","prometheus.io/path":"/stats/prometheus","prometheus.io/port":"15020","sidecar.istio.io/status":"{\"initContainers\":[\"istio-init\"],\"containers\":[\"istio-proxy\"],\"volumes\":[\"istio-envoy\",\"istio-data\",\"istio-podinfo\",\"istio-token\",\"istiod-ca-cert\"],\"imagePullSecrets\":null,\"revision\":\"default\"}"},
                  "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"app-{{{{d}}}}-7d9f","uid":"rs-{{{{d}}}}","controller":true,"blockOwnerDeletion":true}]},
                 "spec":{{{{PodSpec()}}}}}
                """);
            var ip = $"10.{(p >> 16) & 255}.{(p >> 8) & 255}.{p & 255}";
            await SendAsync(HttpMethod.Patch, $"api/v1/namespaces/{ns}/pods/{name}/status", $$$$"""
                {"status":{"phase":"Running","hostIP":"192.168.0.{{{{p % 250}}}}","podIP":"{{{{ip}}}}","podIPs":[{"ip":"{{{{ip}}}}"}],"qosClass":"Burstable",
                  "startTime":"2024-05-01T10:00:00Z",
                  "conditions":[{"type":"Initialized","status":"True"},{"type":"Ready","status":"True"},{"type":"ContainersReady","status":"True"},{"type":"PodScheduled","status":"True"}],
                  "containerStatuses":[{"name":"app","ready":true,"restartCount":0,"image":"registry.example/app:1.0","imageID":"registry.example/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","containerID":"containerd://0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","started":true,"state":{"running":{"startedAt":"2024-05-01T10:00:05Z"}}},
                                       {"name":"istio-proxy","ready":true,"restartCount":0,"image":"docker.io/istio/proxyv2:1.24.0","imageID":"docker.io/istio/proxyv2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","containerID":"containerd://fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210","started":true,"state":{"running":{"startedAt":"2024-05-01T10:00:04Z"}}}]}}
                """, "application/merge-patch+json");
        });
        await ForEachAsync(services, async s =>
        {
            var d = s % deployments;
            var ns = Ns(d % namespaces);
            await PostAsync($"api/v1/namespaces/{ns}/services", $$$$"""
                {"metadata":{"name":"svc-{{{{s}}}}","labels":{"app":"app-{{{{d}}}}"}},
                 "spec":{"type":"ClusterIP","clusterIP":"10.96.{{{{(s >> 8) & 255}}}}.{{{{s & 255}}}}","selector":{"app":"app-{{{{d}}}}"},
                  "ports":[{"name":"http","port":80,"targetPort":"http","protocol":"TCP"},{"name":"grpc","port":9090,"targetPort":9090,"protocol":"TCP"}]}}
                """);
        });
    }

    private static string Ns(int i) => $"ns-{i}";

    private static string Template(string app, string hash) =>
        "{\"metadata\":{\"labels\":{\"app\":\"" + app + "\"" + (hash.Length > 0 ? ",\"pod-template-hash\":\"" + hash + "\"" : "") + "}},\"spec\":" + PodSpec() + "}";

    private static string PodSpec() => """
        {"serviceAccountName":"default","nodeName":"node-1","restartPolicy":"Always","terminationGracePeriodSeconds":30,
         "containers":[
          {"name":"app","image":"registry.example/app:1.0","ports":[{"name":"http","containerPort":8080,"protocol":"TCP"},{"name":"grpc","containerPort":9090,"protocol":"TCP"}],
           "env":[{"name":"LOG_LEVEL","value":"info"},{"name":"DB_HOST","value":"db.data.svc.cluster.local"},{"name":"FEATURE_FLAGS","value":"a,b,c"}],
           "resources":{"requests":{"cpu":"100m","memory":"128Mi"},"limits":{"memory":"256Mi"}},
           "readinessProbe":{"httpGet":{"path":"/app-health/app/readyz","port":15020}},
           "volumeMounts":[{"name":"kube-api-access","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","readOnly":true}]},
          {"name":"istio-proxy","image":"docker.io/istio/proxyv2:1.24.0",
           "args":["proxy","sidecar","--domain","$(POD_NAMESPACE).svc.cluster.local","--proxyLogLevel=warning","--proxyComponentLogLevel=misc:error","--log_output_level=default:info"],
           "env":[{"name":"PILOT_CERT_PROVIDER","value":"istiod"},{"name":"CA_ADDR","value":"istiod.istio-system.svc:15012"},{"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},
                  {"name":"POD_NAMESPACE","valueFrom":{"fieldRef":{"fieldPath":"metadata.namespace"}}},{"name":"INSTANCE_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}},
                  {"name":"ISTIO_META_WORKLOAD_NAME","value":"app"},{"name":"ISTIO_META_MESH_ID","value":"cluster.local"},{"name":"TRUST_DOMAIN","value":"cluster.local"}],
           "ports":[{"name":"http-envoy-prom","containerPort":15090,"protocol":"TCP"}],
           "resources":{"requests":{"cpu":"10m","memory":"40Mi"},"limits":{"cpu":"2","memory":"1Gi"}},
           "volumeMounts":[{"name":"istio-envoy","mountPath":"/etc/istio/proxy"},{"name":"istio-data","mountPath":"/var/lib/istio/data"},{"name":"istio-token","mountPath":"/var/run/secrets/tokens"}]}],
         "volumes":[{"name":"istio-envoy","emptyDir":{"medium":"Memory"}},{"name":"istio-data","emptyDir":{}},
                    {"name":"istio-token","projected":{"sources":[{"serviceAccountToken":{"audience":"istio-ca","expirationSeconds":43200,"path":"istio-token"}}]}},
                    {"name":"kube-api-access","projected":{"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},{"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}}]}}]}
        """;

    private static string Uid(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("metadata").GetProperty("uid").GetString()!;
    }

    private Task<string> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json, "application/json");

    private async Task<string> SendAsync(HttpMethod method, string path, string json, string contentType)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {body}");
        }

        return body;
    }

    private static Task ForEachAsync(int count, Func<int, Task> action) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) => await action(i));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{namespaces} namespaces, {deployments} deployments, {pods} pods, {services} services");
}
