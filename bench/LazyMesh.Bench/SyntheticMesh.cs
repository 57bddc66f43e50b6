using System.Globalization;
using System.Text;

namespace LazyMesh.Bench;

/// <summary>
/// A generated mesh for end-to-end benchmarks and load runs: <c>namespaces</c> namespaces, <c>services</c> Services
/// (ClusterIP, HTTP 9080 or TCP 5432), <c>workloads</c> Deployments (each with a ReplicaSet) and <c>pods</c> Running
/// pods spread over them, as a <c>kubectl get -o yaml</c>-like inventory; and a matching Istio TEXT access log
/// (see <see cref="SyntheticLogWriter"/>). Deterministic for a given shape.
/// </summary>
public sealed class SyntheticMesh
{
    public SyntheticMesh(int namespaces = 10, int services = 200, int workloads = 300, int pods = 1000)
    {
        Namespaces = [.. Enumerable.Range(0, namespaces).Select(i => $"team-{i:D2}")];
        ServiceNames = new string[services];
        ServiceNamespaces = new string[services];
        ServiceIps = new string[services];
        ServiceIsTcp = new bool[services];
        for (int s = 0; s < services; s++)
        {
            ServiceNames[s] = $"svc-{s:D3}";
            ServiceNamespaces[s] = Namespaces[s % namespaces];
            ServiceIps[s] = $"10.96.{s / 250}.{(s % 250) + 1}";
            ServiceIsTcp[s] = s % 10 == 9;
        }

        WorkloadNames = [.. Enumerable.Range(0, workloads).Select(w => $"app-{w:D3}")];
        WorkloadNamespaces = [.. Enumerable.Range(0, workloads).Select(w => Namespaces[w % namespaces])];
        PodIps = new string[pods];
        PodWorkloads = new int[pods];
        for (int p = 0; p < pods; p++)
        {
            PodIps[p] = $"10.244.{p / 250}.{(p % 250) + 2}";
            PodWorkloads[p] = p % workloads;
        }
    }

    public string[] Namespaces { get; }

    public string[] ServiceNames { get; }

    public string[] ServiceNamespaces { get; }

    public string[] ServiceIps { get; }

    public bool[] ServiceIsTcp { get; }

    public string[] WorkloadNames { get; }

    public string[] WorkloadNamespaces { get; }

    public string[] PodIps { get; }

    public int[] PodWorkloads { get; }

    public string ServiceFqdn(int s) => $"{ServiceNames[s]}.{ServiceNamespaces[s]}.svc.cluster.local";

    public int ServicePort(int s) => ServiceIsTcp[s] ? 5432 : 9080;

    /// <summary>The inventory as multi-document YAML (flow style, one object per document).</summary>
    public void WriteInventory(TextWriter w)
    {
        var inv = CultureInfo.InvariantCulture;
        foreach (var ns in Namespaces)
        {
            w.Write(string.Create(inv, $"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {ns}, labels: {{istio-injection: enabled}}}}\n---\n"));
        }

        for (int s = 0; s < ServiceNames.Length; s++)
        {
            // Each Service selects the workload with the same index (services < workloads): some workloads serve nothing.
            string port = ServiceIsTcp[s] ? "[{name: tcp-db, port: 5432, targetPort: 5432}]" : "[{name: http, port: 9080, targetPort: 9080}]";
            w.Write(string.Create(inv, $"apiVersion: v1\nkind: Service\nmetadata: {{name: {ServiceNames[s]}, namespace: {ServiceNamespaces[s]}}}\n"));
            w.Write(string.Create(inv, $"spec: {{clusterIP: \"{ServiceIps[s]}\", ports: {port}, selector: {{app: {WorkloadNames[s]}}}}}\n---\n"));
        }

        for (int wl = 0; wl < WorkloadNames.Length; wl++)
        {
            string name = WorkloadNames[wl];
            string ns = WorkloadNamespaces[wl];
            w.Write(string.Create(inv, $"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: {ns}}}\nspec: {{selector: {{matchLabels: {{app: {name}}}}}}}\n---\n"));
            w.Write(string.Create(inv, $"apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {{name: {name}-5d8f7c9b6d, namespace: {ns}, "));
            w.Write(string.Create(inv, $"ownerReferences: [{{apiVersion: apps/v1, kind: Deployment, name: {name}, uid: u, controller: true}}]}}\n"));
            w.Write(string.Create(inv, $"spec: {{selector: {{matchLabels: {{app: {name}, pod-template-hash: 5d8f7c9b6d}}}}}}\n---\n"));
        }

        for (int p = 0; p < PodIps.Length; p++)
        {
            int wl = PodWorkloads[p];
            string name = WorkloadNames[wl];
            w.Write(string.Create(inv, $"apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}-5d8f7c9b6d-p{p:D4}, namespace: {WorkloadNamespaces[wl]}, "));
            w.Write(string.Create(inv, $"labels: {{app: {name}, pod-template-hash: 5d8f7c9b6d}}, creationTimestamp: \"2025-01-01T00:00:00Z\", "));
            w.Write(string.Create(inv, $"ownerReferences: [{{apiVersion: apps/v1, kind: ReplicaSet, name: {name}-5d8f7c9b6d, uid: u, controller: true}}]}}\n"));
            w.Write(string.Create(inv, $"spec: {{containers: [{{name: app, image: example/app:1}}]}}\n"));
            w.Write(string.Create(inv, $"status: {{phase: Running, podIP: \"{PodIps[p]}\", podIPs: [{{ip: \"{PodIps[p]}\"}}], conditions: [{{type: Ready, status: \"True\"}}]}}\n---\n"));
        }
    }

    public string InventoryYaml()
    {
        var text = new StringWriter(new StringBuilder(1 << 20), CultureInfo.InvariantCulture);
        WriteInventory(text);
        return text.ToString();
    }
}
