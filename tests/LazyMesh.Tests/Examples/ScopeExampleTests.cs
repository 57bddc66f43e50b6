using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Examples;

/// <summary>
/// examples/scope (every scope case of docs/routing.md "Scope rules") through the real <c>recommend --fallback-routing</c>,
/// judged by istiosim's check_lazy.py; then each rule's import removed again, to show the call it keeps from breaking.
/// </summary>
public sealed class ScopeExampleTests
{
    private const string WebSidecar = "shop/lazymesh-web.yaml";

    [Fact]
    public void Scope_example_has_no_broken_call_and_the_expected_imports()
    {
        using var example = LazyExample.Generate("scope");
        var result = example.Check();

        Assert.True(result.Broken == 0, result.ToString());
        Assert.Equal(7, result.Calls);
        var files = example.Files();
        Assert.Contains("track: stable", files[WebSidecar], StringComparison.Ordinal); // selector narrowed: web-canary's pods excluded
        Assert.Contains("- data/db.internal.corp", files["shop/lazymesh-web-canary.yaml"], StringComparison.Ordinal);
        foreach (var (path, text) in files.Where(f => f.Key.StartsWith("shop/", StringComparison.Ordinal) && !f.Key.Contains("envoyfilter", StringComparison.Ordinal)))
        {
            Assert.True(IstioCrdSchemas.Validate("Sidecar", text).Count == 0, path);
        }
    }

    [Theory]
    [InlineData("routing/ratings.bookstore.svc.cluster.local", "ratings")] // virtualservice.go SelectVirtualServices: by the VirtualService's namespace
    [InlineData("bookstore/reviews.bookstore.svc.cluster.local", "reviews")] // the host called (authority evidence), not only the cluster it went to
    [InlineData("bookstore/catalog-alias.shop.svc.cluster.local", "catalog-alias")] // sidecar.go matchingAliasService
    [InlineData("data/db.internal.corp", "240.240.0.5")] // name_table.go BuildNameTable: imported from the start
    public void Without_the_rules_import_its_call_breaks(string import, string call)
    {
        using var example = LazyExample.Generate("scope");
        var path = Path.Combine(example.Output, WebSidecar);
        var lines = File.ReadAllLines(path);
        Assert.Contains("    - " + import, lines);
        File.WriteAllLines(path, lines.Where(l => l != "    - " + import));

        var result = example.Check();

        Assert.Equal(1, result.Broken);
        Assert.Contains("BROKEN shop/web-5d8f7c6b9-x1 -> " + call, result.Output, StringComparison.Ordinal);
    }
}
