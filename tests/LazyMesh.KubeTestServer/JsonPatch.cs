using System.Text.Json.Nodes;

namespace LazyMesh.KubeTesting;

/// <summary>JSON patch (RFC 6902): add, remove, replace, move, copy, test.</summary>
internal static class JsonPatch
{
    public static JsonNode Apply(JsonNode target, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw KubeApiException.BadRequest("json patch must be an array of operations");
        }

        var root = target;
        foreach (var opNode in operations)
        {
            if (opNode is not JsonObject op)
            {
                throw KubeApiException.BadRequest("json patch operation must be an object");
            }

            var kind = op["op"]?.GetValue<string>() ?? throw KubeApiException.BadRequest("json patch operation without op");
            var path = op["path"]?.GetValue<string>() ?? throw KubeApiException.BadRequest("json patch operation without path");
            switch (kind)
            {
                case "add":
                    root = Add(root, path, op["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    root = Add(root, path, op["value"]?.DeepClone());
                    break;
                case "move":
                    {
                        var from = op["from"]?.GetValue<string>() ?? throw KubeApiException.BadRequest("move without from");
                        var value = Get(root, from)?.DeepClone();
                        Remove(root, from);
                        root = Add(root, path, value);
                        break;
                    }

                case "copy":
                    {
                        var from = op["from"]?.GetValue<string>() ?? throw KubeApiException.BadRequest("copy without from");
                        root = Add(root, path, Get(root, from)?.DeepClone());
                        break;
                    }

                case "test":
                    if (!JsonNode.DeepEquals(Get(root, path), op["value"]))
                    {
                        throw new KubeApiException(422, "Invalid", $"json patch test operation failed at {path}");
                    }

                    break;
                default:
                    throw KubeApiException.BadRequest($"unknown json patch operation {kind}");
            }
        }

        return root;
    }

    private static string[] Tokens(string pointer) =>
        pointer.Length == 0
            ? []
            : pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();

    private static JsonNode? Get(JsonNode root, string pointer)
    {
        JsonNode? node = root;
        foreach (var token in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw new KubeApiException(422, "Invalid", $"json patch path {pointer} does not exist"),
            };
        }

        return node;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode root, string pointer)
    {
        var tokens = Tokens(pointer);
        var parentPointer = pointer[..pointer.LastIndexOf('/')];
        var parent = Get(root, parentPointer) ?? throw new KubeApiException(422, "Invalid", $"json patch path {pointer} has no parent");
        return (parent, tokens[^1]);
    }

    private static JsonNode Add(JsonNode root, string pointer, JsonNode? value)
    {
        if (pointer.Length == 0)
        {
            return value ?? throw KubeApiException.BadRequest("cannot replace the document with null");
        }

        var (parent, last) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject o:
                o.Remove(last);
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new KubeApiException(422, "Invalid", $"json patch cannot add at {pointer}");
        }

        return root;
    }

    private static void Remove(JsonNode root, string pointer)
    {
        var (parent, last) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                a.RemoveAt(i);
                break;
            default:
                throw new KubeApiException(422, "Invalid", $"json patch path {pointer} does not exist");
        }
    }
}
