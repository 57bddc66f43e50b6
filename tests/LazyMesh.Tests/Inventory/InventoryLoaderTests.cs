using LazyMesh.Inventory;

namespace LazyMesh.Tests.Inventory;

public sealed class InventoryLoaderTests
{
    private const string PodYaml = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-1
          labels:
            app: web
            version: "1"
            enabled: "true"
        spec:
          hostNetwork: false
          containers:
          - name: web
            image: nginx
            ports:
            - containerPort: 8080
              name: http
            resources:
              limits:
                cpu: 1
                memory: 512Mi
        status:
          phase: Running
          podIP: 10.0.0.1
        """;

    [Fact]
    public void Loads_a_single_object_and_defaults_its_namespace()
    {
        var snapshot = InventoryLoader.LoadText(PodYaml);

        var pod = Assert.Single(snapshot.Pods);
        Assert.Equal("web-1", pod.Metadata.Name);
        Assert.Equal("default", pod.Metadata.NamespaceProperty);
        Assert.Equal("1", pod.Metadata.Labels["version"]);
        Assert.Equal("true", pod.Metadata.Labels["enabled"]);
        Assert.Equal("10.0.0.1", pod.Status.PodIP);
        Assert.Equal(8080, pod.Spec.Containers[0].Ports[0].ContainerPort);
        Assert.Equal(1, snapshot.Count);
    }

    [Fact]
    public void Loads_multi_document_yaml_skipping_empty_documents_and_counting_unknown_kinds()
    {
        var text = """
            # leading comment
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
              labels: {istio-injection: enabled}
            ---
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: c1, namespace: shop}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: c2, namespace: shop}
            ---
            apiVersion: serving.knative.dev/v1
            kind: Service
            metadata: {name: ksvc, namespace: shop}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: cart, namespace: shop}
            spec:
              replicas: 2
              selector: {matchLabels: {app: cart}}
              template:
                metadata: {labels: {app: cart}}
                spec: {containers: [{name: cart, image: cart}]}
            """;

        var snapshot = InventoryLoader.LoadText(text);

        Assert.Equal("enabled", Assert.Single(snapshot.Namespaces).Metadata.Labels["istio-injection"]);
        var deployment = Assert.Single(snapshot.Deployments);
        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal("cart", deployment.Spec.Selector.MatchLabels["app"]);
        Assert.Equal(2, snapshot.SkippedKinds["ConfigMap"]);
        Assert.Equal(1, snapshot.SkippedKinds["Service (serving.knative.dev/v1)"]);
        Assert.Empty(snapshot.Services);
    }

    [Fact]
    public void Expands_kubectl_lists_and_typed_api_lists()
    {
        var text = """
            apiVersion: v1
            kind: List
            metadata: {resourceVersion: ""}
            items:
            - apiVersion: v1
              kind: Service
              metadata: {name: a, namespace: ns1}
              spec: {clusterIP: 10.96.0.1, ports: [{name: http, port: 80, targetPort: 8080}]}
            - apiVersion: apps/v1
              kind: ReplicaSet
              metadata: {name: r, namespace: ns1}
            ---
            apiVersion: v1
            kind: PodList
            items:
            - metadata: {name: p1, namespace: ns1}
            - metadata: {name: p2, namespace: ns1}
            """;

        var snapshot = InventoryLoader.LoadText(text);

        var service = Assert.Single(snapshot.Services);
        Assert.Equal("10.96.0.1", service.Spec.ClusterIP);
        Assert.Equal("8080", (string)service.Spec.Ports[0].TargetPort);
        Assert.Single(snapshot.ReplicaSets);
        Assert.Equal(["p1", "p2"], snapshot.Pods.Select(p => p.Metadata.Name));
        Assert.Equal("Pod", snapshot.Pods[0].Kind);
    }

    [Fact]
    public void Loads_json_objects_lists_and_concatenated_values()
    {
        var text = """
            {
              "apiVersion": "v1",
              "kind": "List",
              "items": [
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p1", "namespace": "a"}, "status": {"podIP": "10.0.0.1"}},
                {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "nightly", "namespace": "a"}}
              ]
            }
            {"apiVersion": "networking.istio.io/v1beta1", "kind": "ServiceEntry", "metadata": {"name": "ext", "namespace": "a"},
             "spec": {"hosts": ["api.example.com"], "ports": [{"number": 443, "name": "tls", "protocol": "TLS"}], "resolution": "DNS"}}
            """;

        var snapshot = InventoryLoader.LoadText(text);

        Assert.Equal("10.0.0.1", Assert.Single(snapshot.Pods).Status.PodIP);
        Assert.Single(snapshot.CronJobs);
        var entry = Assert.Single(snapshot.ServiceEntries);
        Assert.Equal("api.example.com", Assert.Single(entry.Spec.Hosts!));
        Assert.Equal(443, entry.Spec.Ports![0].Number);
    }

    [Fact]
    public void Reads_istio_resources_of_every_served_version_and_skips_others()
    {
        var text = """
            apiVersion: networking.istio.io/v1alpha3
            kind: ServiceEntry
            metadata: {name: a}
            spec: {hosts: [a.example.com]}
            ---
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: default, namespace: shop}
            spec: {egress: [{hosts: ["./*", "istio-system/*"]}]}
            ---
            apiVersion: networking.istio.io/v2
            kind: Sidecar
            metadata: {name: future}
            """;

        var snapshot = InventoryLoader.LoadText(text);

        Assert.Equal("default", Assert.Single(snapshot.ServiceEntries).Metadata.NamespaceProperty);
        Assert.Equal(["./*", "istio-system/*"], Assert.Single(snapshot.Sidecars).Spec.Egress![0].Hosts);
        Assert.Equal(1, snapshot.SkippedKinds["Sidecar (networking.istio.io/v2)"]);
    }

    [Fact]
    public void Types_plain_scalars_and_resolves_anchors_and_merge_keys()
    {
        var text = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: db
              labels: &labels {app: db, tier: "01"}
              annotations:
                <<: *labels
                note: ~
                count: "7"
            spec:
              replicas: 0x3
              serviceName: db
              selector: {matchLabels: *labels}
              template: {metadata: {labels: *labels}}
            """;

        var statefulSet = Assert.Single(InventoryLoader.LoadText(text).StatefulSets);

        Assert.Equal(3, statefulSet.Spec.Replicas);
        Assert.Equal("01", statefulSet.Spec.Selector.MatchLabels["tier"]);
        Assert.Equal("db", statefulSet.Metadata.Annotations["app"]);
        Assert.Equal("7", statefulSet.Metadata.Annotations["count"]);
        Assert.Null(statefulSet.Metadata.Annotations["note"]);
    }

    [Fact]
    public void Loads_directories_recursively_in_ordinal_order_ignoring_hidden_and_other_files()
    {
        using var dir = new TempDirectory();
        dir.Write("b.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: from-b}\n");
        dir.Write("a/z.yml", "apiVersion: v1\nkind: Pod\nmetadata: {name: from-a-z}\n");
        dir.Write("a/c.json", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"from-a-c"}}""");
        dir.Write("notes.txt", "not yaml: [");
        dir.Write("..data/b.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: from-b}\n");
        dir.Write(".hidden.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: hidden}\n");

        var snapshot = InventoryLoader.Load([dir.Path]);

        Assert.Equal(["from-a-c", "from-a-z", "from-b"], snapshot.Pods.Select(p => p.Metadata.Name));
    }

    [Fact]
    public void Reads_stdin_from_the_given_reader_among_files()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");

        var snapshot = InventoryLoader.Load([file, InventoryLoader.StdinPath], new StringReader("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"shop"}}"""));

        Assert.Single(snapshot.Namespaces);
        Assert.Equal("shop", Assert.Single(snapshot.Pods).Metadata.NamespaceProperty);
    }

    [Fact]
    public void Reads_yaml_from_a_text_reader()
    {
        var snapshot = InventoryLoader.Load(new StringReader(PodYaml));

        Assert.Single(snapshot.Pods);
    }

    [Fact]
    public void Files_with_other_extensions_are_sniffed()
    {
        using var dir = new TempDirectory();
        var json = dir.Write("pods.out", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"j"}}""");
        var yaml = dir.Write("pods.txt", "apiVersion: v1\nkind: Pod\nmetadata: {name: y}\n");

        var snapshot = InventoryLoader.Load([json, yaml]);

        Assert.Equal(["j", "y"], snapshot.Pods.Select(p => p.Metadata.Name));
    }
}
