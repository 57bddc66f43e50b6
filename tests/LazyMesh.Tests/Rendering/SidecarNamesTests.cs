using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Tests.Support;

namespace LazyMesh.Tests.Rendering;

public sealed class SidecarNamesTests
{
    [Theory]
    [InlineData(WorkloadKind.Deployment, "reviews-v1", "lazymesh-reviews-v1")]
    [InlineData(WorkloadKind.StatefulSet, "reviews-v1", "lazymesh-statefulset-reviews-v1")]
    [InlineData(WorkloadKind.DaemonSet, "node-agent", "lazymesh-daemonset-node-agent")]
    [InlineData(WorkloadKind.Pod, "debug", "lazymesh-pod-debug")]
    [InlineData(WorkloadKind.Deployment, "statefulset-db", "lazymesh-deployment-statefulset-db")]
    [InlineData(WorkloadKind.Deployment, "deployment-x", "lazymesh-deployment-deployment-x")]
    [InlineData(WorkloadKind.Deployment, "podinfo", "lazymesh-podinfo")]
    [InlineData(WorkloadKind.Deployment, "api.v2", "lazymesh-api.v2")]
    public void Names_are_readable_and_deterministic(WorkloadKind kind, string name, string expected) =>
        Assert.Equal(expected, SidecarNames.For(new Workload("default", kind, name)));

    [Fact]
    public void Same_name_in_different_kinds_never_collides()
    {
        string[] names = ["db", "statefulset-db", "deployment-db", "job-db", "cronjob-db", "pod-db", "deployment-statefulset-db"];
        var all = names.SelectMany(n => Enum.GetValues<WorkloadKind>().Select(k => new Workload("default", k, n))).ToList();

        var sidecarNames = all.Select(SidecarNames.For).ToList();

        Assert.Equal(all.Count, sidecarNames.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Long_names_are_truncated_with_a_hash_and_stay_valid_and_distinct()
    {
        var longA = new string('a', 240) + "-one";
        var longB = new string('a', 240) + "-two";

        var a = SidecarNames.For(new Workload("default", WorkloadKind.StatefulSet, longA));
        var b = SidecarNames.For(new Workload("default", WorkloadKind.StatefulSet, longB));

        Assert.Equal(SidecarNames.MaxLength, a.Length);
        Assert.True(KubernetesNames.IsDns1123Subdomain(a), a);
        Assert.StartsWith("lazymesh-statefulset-aaaa", a, StringComparison.Ordinal);
        Assert.NotEqual(a, b);
        Assert.Equal(a, SidecarNames.For(new Workload("default", WorkloadKind.StatefulSet, longA)));
    }

    [Fact]
    public void Name_exactly_at_the_limit_is_kept_whole()
    {
        var name = new string('x', SidecarNames.MaxLength - SidecarNames.Prefix.Length);

        Assert.Equal(SidecarNames.Prefix + name, SidecarNames.For(new Workload("default", WorkloadKind.Deployment, name)));
        Assert.NotEqual(SidecarNames.Prefix + name + "y", SidecarNames.For(new Workload("default", WorkloadKind.Deployment, name + "y")));
    }

    [Fact]
    public void Truncated_names_are_valid_wherever_the_cut_falls()
    {
        for (var k = SidecarNames.MaxLength - 40; k < SidecarNames.MaxLength; k++)
        {
            var name = new string('a', k) + ".b-c." + new string('d', 60);

            var sidecarName = SidecarNames.For(new Workload("default", WorkloadKind.Deployment, name));

            Assert.True(KubernetesNames.IsDns1123Subdomain(sidecarName), sidecarName);
            Assert.True(sidecarName.Length <= SidecarNames.MaxLength, sidecarName);
        }
    }

    [Fact]
    public void Invalid_workload_names_are_cleaned_and_hashed()
    {
        var a = SidecarNames.For(new Workload("default", WorkloadKind.Pod, "My_Pod"));
        var b = SidecarNames.For(new Workload("default", WorkloadKind.Pod, "my-pod"));

        Assert.True(KubernetesNames.IsDns1123Subdomain(a), a);
        Assert.StartsWith("lazymesh-pod-my-pod-", a, StringComparison.Ordinal);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Renderer_uses_the_same_name() =>
        Assert.Equal(
            SidecarNames.For(TestWorkloads.Create(kind: WorkloadKind.StatefulSet, name: "db")),
            SidecarRenderer.Render(TestWorkloads.Create(kind: WorkloadKind.StatefulSet, name: "db"), [], [], RenderOptions.Default).Metadata.Name);
}
