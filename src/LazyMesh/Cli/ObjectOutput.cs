using System.Text.Json;
using System.Text.Json.Nodes;
using LazyMesh.Rendering;

namespace LazyMesh.Cli;

/// <summary>
/// Kubernetes objects on stdout as <c>-o yaml</c> (documents separated by <c>---</c>, <c>kubectl apply -f -</c>) or
/// <c>-o json</c> (one <c>v1 List</c>, as <c>kubectl get -o json</c> prints several objects; <c>kubectl apply -f -</c> takes it too).
/// </summary>
public static class ObjectOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(TextWriter stdout, string format, IEnumerable<JsonNode> objects, string? yamlHeader = null)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(objects);
        if (format == "json")
        {
            var list = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "List",
                ["items"] = new JsonArray([.. objects.Select(static o => o.DeepClone())]),
            };
            stdout.Write(Json(list));
            stdout.Write('\n');
        }
        else
        {
            ResourceYaml.WriteAll(stdout, objects, yamlHeader);
        }

        stdout.Flush();
    }

    /// <summary>Indented JSON with LF line ends, the same on every platform.</summary>
    public static string Json(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.ToJsonString(Indented).Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>One document (e.g. a MeshConfig fragment) as <c>-o yaml</c> or <c>-o json</c>.</summary>
    public static void WriteOne(TextWriter stdout, string format, JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        stdout.Write(format == "json" ? Json(node) + "\n" : ResourceYaml.SerializeNode(node));
        stdout.Flush();
    }
}
