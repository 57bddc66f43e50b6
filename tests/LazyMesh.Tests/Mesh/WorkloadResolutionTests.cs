using LazyMesh.Mesh;
using static LazyMesh.Tests.Mesh.MeshYaml;

namespace LazyMesh.Tests.Mesh;

public sealed class WorkloadResolutionTests
{
    [Fact]
    public void Pod_of_a_deployment_belongs_to_the_deployment_with_its_selector_and_annotations()
    {
        var index = Index(
            Owner("Deployment", "web", selector: "{matchLabels: {app: web, version: v1}}", annotations: "{team: shop}"),
            Owner("ReplicaSet", "web-5d8f", selector: "{matchLabels: {app: web, version: v1, pod-template-hash: 5d8f}}", owner: "Deployment/web"),
            Pod("web-5d8f-a", "10.0.0.1", labels: "{app: web, version: v1, pod-template-hash: 5d8f}", owner: "ReplicaSet/web-5d8f"),
            Pod("web-5d8f-b", "10.0.0.2", labels: "{app: web, version: v1, pod-template-hash: 5d8f}", owner: "ReplicaSet/web-5d8f"));

        var workload = Assert.Single(index.Workloads);
        Assert.Equal("default/Deployment/web", workload.Key);
        Assert.Equal(WorkloadKind.Deployment, workload.Kind);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["version"] = "v1" }, workload.SelectorLabels);
        Assert.Null(workload.SelectorNote);
        Assert.Equal("shop", workload.Annotations["team"]);
        Assert.Equal(["web-5d8f-a", "web-5d8f-b"], workload.Pods.Select(p => p.Name));
        Assert.Same(workload, index.FindWorkload("default/Deployment/web"));
        Assert.Equal(PodIpMatch.Pod, index.FindPod(Ip("10.0.0.2"), out var pod));
        Assert.Same(workload, pod!.Workload);
        Assert.Empty(index.Warnings);
    }

    [Theory]
    [InlineData("StatefulSet", WorkloadKind.StatefulSet)]
    [InlineData("DaemonSet", WorkloadKind.DaemonSet)]
    [InlineData("ReplicaSet", WorkloadKind.ReplicaSet)]
    [InlineData("Job", WorkloadKind.Job)]
    public void Pod_of_a_top_level_controller_belongs_to_it(string kind, WorkloadKind expected)
    {
        var index = Index(
            Owner(kind, "db"),
            Pod("db-0", "10.0.0.1", labels: "{app: web, controller-revision-hash: abc}", owner: $"{kind}/db"));

        var workload = Assert.Single(index.Workloads);
        Assert.Equal(expected, workload.Kind);
        Assert.Equal("db", workload.Name);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web" }, workload.SelectorLabels);
    }

    [Fact]
    public void Pod_of_a_cronjob_run_belongs_to_the_cronjob_selected_by_its_stable_labels()
    {
        var index = Index(
            Owner("CronJob", "nightly", selector: null),
            Owner("Job", "nightly-1", selector: "{matchLabels: {batch.kubernetes.io/controller-uid: u1}}", owner: "CronJob/nightly"),
            Owner("Job", "nightly-2", selector: "{matchLabels: {batch.kubernetes.io/controller-uid: u2}}", owner: "CronJob/nightly"),
            Pod("nightly-1-x", "10.0.0.1", phase: "Succeeded", labels: "{app: report, job-name: nightly-1, batch.kubernetes.io/job-name: nightly-1, batch.kubernetes.io/controller-uid: u1, controller-uid: u1}", owner: "Job/nightly-1"),
            Pod("nightly-2-y", "10.0.0.2", labels: "{app: report, job-name: nightly-2, batch.kubernetes.io/job-name: nightly-2, batch.kubernetes.io/controller-uid: u2, controller-uid: u2}", owner: "Job/nightly-2"));

        var workload = Assert.Single(index.Workloads);
        Assert.Equal("default/CronJob/nightly", workload.Key);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "report" }, workload.SelectorLabels);
        Assert.Contains("CronJob has no pod selector", workload.SelectorNote);
        Assert.Equal(2, workload.Pods.Count);
    }

    [Fact]
    public void Pod_without_owner_is_a_bare_pod_workload_with_the_pods_annotations()
    {
        var index = Index(
            Pod("debug", "10.0.0.9", labels: "{run: debug}").Replace("labels: {run: debug}", "labels: {run: debug}, annotations: {why: testing}"));

        var workload = Assert.Single(index.Workloads);
        Assert.Equal("default/Pod/debug", workload.Key);
        Assert.Equal(new Dictionary<string, string> { ["run"] = "debug" }, workload.SelectorLabels);
        Assert.Equal("testing", workload.Annotations["why"]);
    }

    [Fact]
    public void Bare_pod_without_labels_is_reported_as_unselectable()
    {
        var index = Index(Pod("lonely", "10.0.0.9", labels: "{}"));

        Assert.Empty(Assert.Single(index.Workloads).SelectorLabels);
        Assert.Contains(index.Warnings, w => w.Contains("default/Pod/lonely") && w.Contains("no labels"));
    }

    [Fact]
    public void Selector_with_match_expressions_falls_back_to_the_labels_all_its_pods_share()
    {
        var index = Index(
            Owner("StatefulSet", "db", selector: "{matchExpressions: [{key: app, operator: In, values: [db]}]}"),
            Pod("db-0", "10.0.0.1", labels: "{app: db, role: primary, controller-revision-hash: a1, statefulset.kubernetes.io/pod-name: db-0}", owner: "StatefulSet/db"),
            Pod("db-1", "10.0.0.2", labels: "{app: db, role: replica, controller-revision-hash: a2, statefulset.kubernetes.io/pod-name: db-1}", owner: "StatefulSet/db"));

        var workload = Assert.Single(index.Workloads);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "db" }, workload.SelectorLabels);
        Assert.Equal("selector has matchExpressions; selecting by the labels its pods share (app=db)", workload.SelectorNote);
    }

    [Fact]
    public void Missing_replicaset_object_makes_the_referenced_replicaset_the_workload()
    {
        var index = Index(Pod("web-5d8f-a", "10.0.0.1", labels: "{app: web, pod-template-hash: 5d8f}", owner: "ReplicaSet/web-5d8f"));

        var workload = Assert.Single(index.Workloads);
        Assert.Equal("default/ReplicaSet/web-5d8f", workload.Key);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web" }, workload.SelectorLabels);
        Assert.StartsWith("ReplicaSet web-5d8f is not in the inventory", workload.SelectorNote);
        Assert.Contains(index.Warnings, w => w.Contains("ReplicaSet default/web-5d8f"));
    }

    [Fact]
    public void Missing_deployment_object_is_inferred_from_its_replicaset()
    {
        var index = Index(
            Owner("ReplicaSet", "web-5d8f", selector: "{matchLabels: {app: web, pod-template-hash: 5d8f}}", owner: "Deployment/web"),
            Pod("web-5d8f-a", "10.0.0.1", labels: "{app: web, pod-template-hash: 5d8f}", owner: "ReplicaSet/web-5d8f"));

        var workload = Assert.Single(index.Workloads);
        Assert.Equal("default/Deployment/web", workload.Key);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web" }, workload.SelectorLabels);
        Assert.Contains("Deployment web is not in the inventory", workload.SelectorNote);
    }

    [Fact]
    public void Selector_that_also_selects_other_workloads_pods_is_warned_about()
    {
        var index = Index(
            Owner("Deployment", "a", selector: "{matchLabels: {app: shared}}"),
            Owner("ReplicaSet", "a-1", owner: "Deployment/a"),
            Pod("a-1-x", "10.0.0.1", labels: "{app: shared}", owner: "ReplicaSet/a-1"),
            Pod("stray", "10.0.0.2", labels: "{app: shared, extra: x}"));

        Assert.Contains(index.Warnings, w => w.StartsWith("workload default/Deployment/a") && w.Contains("stray"));
    }

    [Fact]
    public void Scaled_to_zero_deployment_keeps_a_workload()
    {
        var index = Index(Owner("Deployment", "idle", selector: "{matchLabels: {app: idle}}"));

        var workload = Assert.Single(index.Workloads);
        Assert.Equal("default/Deployment/idle", workload.Key);
        Assert.Empty(workload.Pods);
    }

    [Fact]
    public void Unsupported_owner_kind_is_treated_as_a_bare_pod()
    {
        var index = Index(Pod("x", "10.0.0.1", owner: "ReplicationController/rc"));

        Assert.Equal("default/Pod/x", Assert.Single(index.Workloads).Key);
        Assert.Contains(index.Warnings, w => w.Contains("ReplicationController"));
    }
}
