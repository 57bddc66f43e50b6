using LazyMesh.Mesh;
using static LazyMesh.Tests.Mesh.MeshYaml;

namespace LazyMesh.Tests.Mesh;

public sealed class SidecarIndexTests
{
    private static string Sidecar(string name, string? selector, string ns = "shop", bool managed = false, string created = "2025-01-01T00:00:00Z")
    {
        var labels = managed ? "{app.kubernetes.io/managed-by: lazymesh}" : "{}";
        var spec = selector is null ? "{egress: [{hosts: [\"./*\"]}]}" : $"{{workloadSelector: {{labels: {selector}}}, egress: [{{hosts: [\"./*\"]}}]}}";
        return $"apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {{name: {name}, namespace: {ns}, labels: {labels}, creationTimestamp: \"{created}\"}}\nspec: {spec}\n";
    }

    private static readonly MeshIndex Index = LazyMesh.Tests.Mesh.MeshYaml.Index(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {istio-injection: enabled}, annotations: {lazymesh.io/enabled: \"true\"}}",
        Pod("web-1", "10.0.0.1", ns: "shop", labels: "{app: web, version: v1}"),
        Pod("cart-1", "10.0.0.2", ns: "shop", labels: "{app: cart}"),
        Pod("web-9", "10.0.0.9", ns: "elsewhere", labels: "{app: web, version: v1}"),
        Sidecar("default", null),
        Sidecar("web-old", "{app: web}", created: "2025-01-01T00:00:00Z"),
        Sidecar("web-new", "{app: web, version: v1}", created: "2025-02-01T00:00:00Z"),
        Sidecar("web-v2", "{app: web, version: v2}"),
        Sidecar("lazymesh-web", "{app: web}", managed: true),
        Sidecar("lazymesh-default", null, managed: true));

    [Fact]
    public void Conflicting_sidecars_are_the_user_written_selecting_ones_oldest_first_never_the_namespace_default()
    {
        // push_context.go doGetSidecarScope: a workload-selected Sidecar replaces the namespace default, so only
        // another selecting Sidecar competes with a generated one.
        var web = Index.FindWorkload("shop/Pod/web-1")!;

        Assert.Equal(["web-old", "web-new"], Index.SidecarsSelecting(web).Select(s => s.Name));
        Assert.Equal("default", Index.DefaultSidecar(web)?.Name);
    }

    [Fact]
    public void Workload_matching_no_selector_has_no_conflict_and_the_namespace_default_as_baseline()
    {
        var cart = Index.FindWorkload("shop/Pod/cart-1")!;

        Assert.Empty(Index.SidecarsSelecting(cart));
        Assert.Equal("default", Index.DefaultSidecar(cart)?.Name);
    }

    [Fact]
    public void Root_namespace_default_is_the_baseline_where_the_namespace_has_none_doGetSidecarScope()
    {
        var index = LazyMesh.Tests.Mesh.MeshYaml.Index(
            Pod("api-1", "10.0.1.1", ns: "api", labels: "{app: api}"),
            Sidecar("mesh-default", null, ns: "istio-system"),
            Sidecar("istio-selecting", "{app: api}", ns: "istio-system"));
        var api = index.FindWorkload("api/Pod/api-1")!;

        Assert.Equal("istio-system/mesh-default", index.DefaultSidecar(api)?.ToString());
        Assert.Empty(index.SidecarsSelecting(api));
    }

    [Fact]
    public void Sidecars_of_other_namespaces_never_apply()
    {
        Assert.Empty(Index.SidecarsSelecting(Index.FindWorkload("elsewhere/Pod/web-9")!));
    }

    [Fact]
    public void Sidecar_info_keeps_selector_management_and_creation()
    {
        var managed = Index.Sidecars.Single(s => s.Name == "lazymesh-web");
        var byDefault = Index.Sidecars.Single(s => s.Name == "default");

        Assert.True(managed.ManagedByLazyMesh);
        Assert.Equal("web", managed.SelectorLabels!["app"]);
        Assert.True(byDefault.IsNamespaceDefault);
        Assert.False(byDefault.ManagedByLazyMesh);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), byDefault.Created);
        Assert.Equal(6, Index.Sidecars.Count);
    }

    [Fact]
    public void Namespaces_keep_labels_and_annotations()
    {
        var shop = Index.FindNamespace("shop");

        Assert.Equal("enabled", shop?.Labels["istio-injection"]);
        Assert.Equal("true", shop?.Annotations["lazymesh.io/enabled"]);
        Assert.Null(Index.FindNamespace("elsewhere"));
    }
}
