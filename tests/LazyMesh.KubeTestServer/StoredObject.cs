using System.Text.Json.Nodes;

namespace LazyMesh.KubeTesting;

/// <summary>
/// One stored revision of an object, kept as its JSON text only: <see cref="Node"/> parses a fresh tree on each call
/// (callers may change it). A tree per object (~120k objects in the benches) made a heap of millions of small objects
/// whose background GC stalled the whole server for 1.5 s (ChurnBench, docs/benchmarks.md); text is one string each.
/// </summary>
internal sealed class StoredObject
{
    public StoredObject(KubeResourceType type, ObjectKey key, JsonObject node, long resourceVersion)
    {
        Type = type;
        Key = key;
        ResourceVersion = resourceVersion;
        Json = node.ToJsonString();
        Uid = node["metadata"]?["uid"]?.GetValue<string>() ?? "";
        Labels = LabelSelector.LabelsOf(node);
    }

    public KubeResourceType Type { get; }

    public ObjectKey Key { get; }

    /// <summary>A new tree of the object (parsed from <see cref="Json"/>): take it once per operation.</summary>
    public JsonObject Node => (JsonObject)JsonNode.Parse(Json)!;

    public long ResourceVersion { get; }

    public string Json { get; }

    public string Uid { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public JsonObject Metadata => (JsonObject)Node["metadata"]!;

    public string JsonFor(string version)
    {
        if (version == Type.StorageVersion)
        {
            return Json;
        }

        var copy = Node;
        copy["apiVersion"] = Type.ApiVersion(version);
        return copy.ToJsonString();
    }
}
