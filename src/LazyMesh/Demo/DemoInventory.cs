using System.Globalization;
using System.Text;
using LazyMesh.Rendering;

namespace LazyMesh.Demo;

/// <summary>
/// Writes the demo's inventory as <c>kubectl get -o yaml</c> would: the Bookinfo namespace, Services,
/// Deployments, ReplicaSets and Pods of <see cref="DemoTopology"/>, istiod, and <c>extraServices</c>
/// other services (each with two ready pods) in other namespaces, so the savings are measured against
/// a mesh of realistic size.
/// </summary>
public static class DemoInventory
{
    public static string Render(DemoTopology topology, int extraServices, string fallbackNamespace)
    {
        var yaml = new StringBuilder();
        Namespace(yaml, DemoTopology.Namespace);
        Namespace(yaml, "istio-system");
        Namespace(yaml, fallbackNamespace);
        Service(yaml, "istio-system", "istiod", "10.96.0.10", "istiod", [("grpc-xds", 15010), ("https-dns", 15012), ("http-monitoring", 15014)], null);
        foreach (var service in topology.Services)
        {
            Service(yaml, DemoTopology.Namespace, service.App, service.ClusterIp.ToString(), service.App, [("http", DemoTopology.ServicePort)], topology.PodPort);
        }

        var hash = 0;
        foreach (var pod in topology.Pods)
        {
            var template = (++hash).ToString("x8", CultureInfo.InvariantCulture);
            Workload(yaml, DemoTopology.Namespace, pod.Workload, pod.App, pod.Version, template, [pod.Ip.ToString()]);
        }

        for (var i = 0; i < extraServices; i++)
        {
            var ns = $"team-{i % 20:D2}";
            if (i < 20)
            {
                // Only Bookinfo is lazy in the demo; the rest of the mesh keeps full configuration.
                Namespace(yaml, ns, lazy: false);
            }

            var name = $"svc-{i:D4}";
            var b = i / 250;
            var c = i % 250;
            Service(yaml, ns, name, $"10.100.{b}.{c + 1}", name, [("http", 8080), ("grpc", 9090)], null);
            Workload(yaml, ns, name, name, "v1", (i + 1000).ToString("x8", CultureInfo.InvariantCulture), [$"10.200.{b}.{(c * 2) + 1}", $"10.201.{b}.{(c * 2) + 1}"]);
        }

        return yaml.ToString();
    }

    private static void Namespace(StringBuilder yaml, string name, bool lazy = true) => yaml.Append(CultureInfo.InvariantCulture, $"""
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: {name}
        {(lazy ? string.Empty : $"  annotations:\n    {LazyMeshMetadata.EnabledKey}: \"false\"\n")}
        """);

    private static void Service(StringBuilder yaml, string ns, string name, string clusterIp, string app, (string Name, int Port)[] ports, int? targetPort)
    {
        yaml.Append(CultureInfo.InvariantCulture, $"""
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: {name}
              namespace: {ns}
            spec:
              clusterIP: {clusterIp}
              selector:
                app: {app}
              ports:

            """);
        foreach (var (portName, port) in ports)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - name: {portName}\n    port: {port}\n    targetPort: {targetPort ?? port}\n");
        }
    }

    private static void Workload(StringBuilder yaml, string ns, string deployment, string app, string version, string templateHash, string[] podIps)
    {
        var rs = $"{deployment}-{templateHash[..8]}";
        yaml.Append(CultureInfo.InvariantCulture, $"""
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {deployment}
              namespace: {ns}
              uid: uid-deploy-{ns}-{deployment}
            spec:
              selector:
                matchLabels:
                  app: {app}
                  version: {version}
              template:
                metadata:
                  labels:
                    app: {app}
                    version: {version}
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: {rs}
              namespace: {ns}
              uid: uid-rs-{ns}-{rs}
              ownerReferences:
              - apiVersion: apps/v1
                kind: Deployment
                name: {deployment}
                uid: uid-deploy-{ns}-{deployment}
                controller: true
            spec:
              selector:
                matchLabels:
                  app: {app}
                  version: {version}
                  pod-template-hash: "{templateHash}"

            """);
        for (var i = 0; i < podIps.Length; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"""
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: {rs}-{i}
                  namespace: {ns}
                  labels:
                    app: {app}
                    version: {version}
                    pod-template-hash: "{templateHash}"
                  ownerReferences:
                  - apiVersion: apps/v1
                    kind: ReplicaSet
                    name: {rs}
                    uid: uid-rs-{ns}-{rs}
                    controller: true
                status:
                  phase: Running
                  podIP: {podIps[i]}
                  conditions:
                  - type: Ready
                    status: "True"

                """);
        }
    }
}
