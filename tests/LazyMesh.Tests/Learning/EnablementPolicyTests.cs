using LazyMesh.Learning;
using LazyMesh.Rendering;

namespace LazyMesh.Tests.Learning;

public sealed class EnablementPolicyTests
{
    private static Dictionary<string, string> Map(params string[] kv)
    {
        var map = new Dictionary<string, string>();
        for (var i = 0; i < kv.Length; i += 2)
        {
            map[kv[i]] = kv[i + 1];
        }

        return map;
    }

    [Fact]
    public void Default_applies_without_annotations()
    {
        Assert.True(EnablementPolicy.Evaluate(null, null, null, enabledByDefault: true).Enabled);
        Assert.False(EnablementPolicy.Evaluate(null, null, null, enabledByDefault: false).Enabled);
    }

    [Fact]
    public void Namespace_annotation_opts_out_and_workload_annotation_overrides_it()
    {
        var ns = Map(LazyMeshMetadata.EnabledKey, "false");
        var off = EnablementPolicy.Evaluate(null, ns, null, enabledByDefault: true);
        Assert.False(off.Enabled);
        Assert.Contains("namespace annotation", off.Reason);

        var on = EnablementPolicy.Evaluate(Map(LazyMeshMetadata.EnabledKey, "true"), ns, null, enabledByDefault: true);
        Assert.True(on.Enabled);
        Assert.Contains("workload annotation", on.Reason);
    }

    [Fact]
    public void Namespace_label_enables_when_default_is_off()
    {
        var policy = EnablementPolicy.Evaluate(null, null, Map(LazyMeshMetadata.EnabledKey, "true"), enabledByDefault: false);
        Assert.True(policy.Enabled);
    }

    [Fact]
    public void Unrecognised_values_fall_through()
    {
        var policy = EnablementPolicy.Evaluate(Map(LazyMeshMetadata.EnabledKey, "maybe"), Map(LazyMeshMetadata.EnabledKey, "false"), null, true);
        Assert.False(policy.Enabled);
    }

    [Fact]
    public void Static_hosts_merge_sorted_without_duplicates()
    {
        var policy = EnablementPolicy.Evaluate(
            Map(LazyMeshMetadata.StaticHostsAnnotation, "b/x.b.svc.cluster.local, a/*"),
            Map(LazyMeshMetadata.StaticHostsAnnotation, "a/*,c/y"),
            null,
            true);
        Assert.Equal(["a/*", "b/x.b.svc.cluster.local", "c/y"], policy.StaticHosts);
    }
}
