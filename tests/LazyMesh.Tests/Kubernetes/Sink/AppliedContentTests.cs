using System.Text.Json.Nodes;
using LazyMesh.Kubernetes.Sink;

namespace LazyMesh.Tests.Kubernetes.Sink;

public sealed class AppliedContentTests
{
    private const string Body = """{"apiVersion":"networking.istio.io/v1","kind":"Sidecar","metadata":{"name":"s","namespace":"shop","labels":{"a":"1"}},"spec":{"egress":[{"hosts":["./*","istio-system/*"]}]}}""";

    private static JsonObject Live(JsonObject stamped, Action<JsonObject>? edit = null)
    {
        var live = (JsonObject)stamped.DeepClone();
        var metadata = (JsonObject)live["metadata"]!;
        metadata["uid"] = "u-1";
        metadata["resourceVersion"] = "42";
        metadata["labels"]!["added-by-someone-else"] = "x";
        metadata["managedFields"] = new JsonArray(new JsonObject { ["manager"] = "lazymesh" });
        live["status"] = new JsonObject { ["validationMessages"] = new JsonArray() };
        edit?.Invoke(live);
        return live;
    }

    [Fact]
    public void The_stamp_is_the_hash_of_the_content_and_stable()
    {
        var a = AppliedContent.Stamp(Body, out var hashA);
        AppliedContent.Stamp(Body, out var hashB);
        AppliedContent.Stamp(Body.Replace("istio-system/*", "other/*", StringComparison.Ordinal), out var hashC);
        Assert.Equal(hashA, hashB);
        Assert.NotEqual(hashA, hashC);
        Assert.Equal(hashA, a["metadata"]!["annotations"]![AppliedContent.HashAnnotation]!.GetValue<string>());
    }

    [Fact]
    public void A_live_object_holding_the_body_plus_server_fields_and_others_labels_is_current()
    {
        var stamped = AppliedContent.Stamp(Body, out _);
        Assert.True(AppliedContent.IsCurrent(stamped, Live(stamped)));
    }

    [Fact]
    public void A_missing_object_a_hand_edit_or_another_last_apply_is_not_current()
    {
        var stamped = AppliedContent.Stamp(Body, out _);
        Assert.False(AppliedContent.IsCurrent(stamped, null));
        Assert.False(AppliedContent.IsCurrent(stamped, Live(stamped, l => l["spec"]!["egress"]![0]!["hosts"]!.AsArray().RemoveAt(1))));
        Assert.False(AppliedContent.IsCurrent(stamped, Live(stamped, l => l["metadata"]!["labels"]!["a"] = "2")));

        // A list element with a field added by hand: Istio's lists are atomic, the apply would remove it.
        Assert.False(AppliedContent.IsCurrent(stamped, Live(stamped, l => l["spec"]!["egress"]![0]!["port"] = new JsonObject { ["number"] = 80 })));

        // Same fields but applied from another body (one that also set a field since dropped): the hash differs.
        var older = AppliedContent.Stamp(Body.Replace("\"a\":\"1\"", "\"a\":\"1\",\"gone\":\"y\"", StringComparison.Ordinal), out _);
        Assert.False(AppliedContent.IsCurrent(stamped, Live(older)));
    }

    [Fact]
    public void Keyed_lists_that_the_server_defaults_per_element_compare_by_the_body_fields()
    {
        var stamped = AppliedContent.Stamp("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"f","namespace":"n","labels":{"a":"1"}},"spec":{"ports":[{"name":"http-80","port":80}]}}""", out _);
        var live = Live(stamped, l =>
        {
            l["spec"]!["ports"]![0]!["protocol"] = "TCP";
            l["spec"]!["ports"]![0]!["targetPort"] = 80;
            l["spec"]!["clusterIP"] = "10.96.0.9";
        });
        Assert.False(AppliedContent.IsCurrent(stamped, live));
        Assert.True(AppliedContent.IsCurrent(stamped, live, listElementsMayHaveDefaults: true));
        Assert.False(AppliedContent.IsCurrent(stamped, Live(stamped, l => l["spec"]!["ports"]![0]!["port"] = 81), listElementsMayHaveDefaults: true));
    }
}
