using System.Text.Json.Nodes;

namespace LazyMesh.KubeTesting;

/// <summary>
/// One stored revision of an object. <see cref="Node"/> is never mutated after construction and is only
/// touched under the store's lock; writers clone it.
/// </summary>
internal sealed class StoredObject
{
    public StoredObject(KubeResourceType type, ObjectKey key, JsonObject node, long resourceVersion)
    {
        Type = type;
        Key = key;
        Node = node;
        ResourceVersion = resourceVersion;
        Json = node.ToJsonString();
        Uid = node["metadata"]?["uid"]?.GetValue<string>() ?? "";
        Labels = LabelSelector.LabelsOf(node);
    }

    public KubeResourceType Type { get; }

    public ObjectKey Key { get; }

    public JsonObject Node { get; }

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

        var copy = (JsonObject)Node.DeepClone();
        copy["apiVersion"] = Type.ApiVersion(version);
        return copy.ToJsonString();
    }
}
