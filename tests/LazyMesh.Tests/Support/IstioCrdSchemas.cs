using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LazyMesh.Rendering;
using NJsonSchema;
using NJsonSchema.Validation;

namespace LazyMesh.Tests.Support;

/// <summary>
/// Validates objects against the OpenAPI v3 schemas of Istio's CRDs, approximating what the API server checks:
/// the CRD's structural schema, unknown fields rejected (strict field validation) except under
/// <c>x-kubernetes-preserve-unknown-fields</c>, <c>nullable</c> honoured, plus apiVersion/kind and the
/// name/namespace/label rules of metadata. CEL rules (<c>x-kubernetes-validations</c>) are not evaluated.
/// </summary>
public static class IstioCrdSchemas
{
    public const string NetworkingGroup = "networking.istio.io";
    public const string DefaultVersion = "v1";

    private const string Dns1123Label = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    private const string Dns1123Subdomain = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    private const string LabelValue = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";

    private static readonly Lazy<IReadOnlyList<JsonObject>> Crds = new(LoadCrds);
    private static readonly ConcurrentDictionary<(string Group, string Kind, string Version), JsonSchema> Schemas = new();

    /// <summary>
    /// Errors for a YAML or JSON object of <paramref name="kind"/>; group and version come from its apiVersion
    /// when that is <c>group/version</c>, else <c>networking.istio.io/v1</c>. Empty when valid.
    /// </summary>
    public static IReadOnlyList<string> Validate(string kind, string yamlOrJson)
    {
        var node = YamlJson.Parse(yamlOrJson);
        var (group, version) = (NetworkingGroup, DefaultVersion);
        if (node is JsonObject obj && obj["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var apiVersion)
            && apiVersion.Split('/') is [{ Length: > 0 } g, { Length: > 0 } ver])
        {
            (group, version) = (g, ver);
        }

        if (FindVersion(group, kind, version) is null)
        {
            return [$"#/apiVersion: CRD {kind}.{group} has no version {version}"];
        }

        return Validate(group, kind, version, node);
    }

    /// <summary>Errors for a YAML or JSON object against the given CRD version's schema. Empty when valid.</summary>
    public static IReadOnlyList<string> Validate(string group, string kind, string version, string yamlOrJson) =>
        Validate(group, kind, version, YamlJson.Parse(yamlOrJson));

    /// <summary>Serialises a Kubernetes object with <see cref="ResourceYaml"/> and validates the YAML.</summary>
    public static IReadOnlyList<string> ValidateObject(string kind, object k8sObject) =>
        Validate(kind, ResourceYaml.Serialize(k8sObject));

    /// <summary>The prepared JSON Schema of a CRD version.</summary>
    public static JsonSchema SchemaFor(string group, string kind, string version) =>
        Schemas.GetOrAdd((group, kind, version), key => Build(key.Group, key.Kind, key.Version));

    private static IReadOnlyList<string> Validate(string group, string kind, string version, JsonNode? node)
    {
        var schema = SchemaFor(group, kind, version);
        var json = node?.ToJsonString() ?? "null";
        var errors = new List<string>();
        Flatten(schema.Validate(json), errors);
        return errors;
    }

    private static void Flatten(IEnumerable<ValidationError> errors, List<string> into)
    {
        foreach (var error in errors)
        {
            into.Add($"{error.Path}: {error.Kind}");
            if (error is ChildSchemaValidationError child)
            {
                foreach (var nested in child.Errors.Values)
                {
                    Flatten(nested, into);
                }
            }
        }
    }

    private static JsonSchema Build(string group, string kind, string version)
    {
        var versionNode = FindVersion(group, kind, version)
            ?? throw new ArgumentException($"No CRD {kind}.{group} with version {version} in {RepoPaths.IstioCrds()}.");
        var openApi = versionNode["schema"]?["openAPIV3Schema"]?.DeepClone().AsObject()
            ?? throw new ArgumentException($"CRD {kind}.{group} {version} has no openAPIV3Schema.");

        Prepare(openApi);
        var properties = openApi["properties"]?.AsObject() ?? [];
        openApi["properties"] = properties;
        properties["apiVersion"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(group + "/" + version) };
        properties["kind"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(kind) };
        properties["metadata"] = MetadataSchema();
        openApi["required"] = new JsonArray("apiVersion", "kind", "metadata");
        openApi["additionalProperties"] = false;

        var text = openApi.ToJsonString();
        return Task.Run(() => JsonSchema.FromJsonAsync(text)).GetAwaiter().GetResult();
    }

    private static JsonNode? FindVersion(string group, string kind, string version) =>
        Crds.Value
            .Where(c => c["spec"]?["group"]?.GetValue<string>() == group && c["spec"]?["names"]?["kind"]?.GetValue<string>() == kind)
            .SelectMany(c => c["spec"]?["versions"]?.AsArray() ?? [])
            .FirstOrDefault(v => v?["name"]?.GetValue<string>() == version);

    /// <summary>Enough of ObjectMeta's rules to catch bad names and labels; other metadata fields pass.</summary>
    private static JsonObject MetadataSchema() => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("name"),
        ["properties"] = new JsonObject
        {
            ["name"] = new JsonObject { ["type"] = "string", ["maxLength"] = 253, ["pattern"] = Dns1123Subdomain },
            ["namespace"] = new JsonObject { ["type"] = "string", ["maxLength"] = 63, ["pattern"] = Dns1123Label },
            ["labels"] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = new JsonObject { ["type"] = "string", ["maxLength"] = 63, ["pattern"] = LabelValue },
            },
            ["annotations"] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = new JsonObject { ["type"] = "string" },
            },
        },
    };

    /// <summary>
    /// Turns a Kubernetes structural schema into plain JSON Schema, walking only schema positions (never into
    /// <c>enum</c>, <c>default</c> or property names): drops <c>x-kubernetes-*</c>, maps <c>nullable</c> to a
    /// null type, and forbids unknown properties unless unknown fields are preserved.
    /// </summary>
    private static void Prepare(JsonObject schema)
    {
        var preserveUnknown = schema["x-kubernetes-preserve-unknown-fields"] is JsonValue p && p.TryGetValue<bool>(out var b) && b;
        foreach (var key in schema.Select(kv => kv.Key).Where(k => k.StartsWith("x-kubernetes-", StringComparison.Ordinal)).ToList())
        {
            schema.Remove(key);
        }

        if (schema["nullable"] is JsonValue nullable)
        {
            schema.Remove("nullable");
            if (nullable.TryGetValue<bool>(out var isNullable) && isNullable && schema["type"] is JsonValue t
                && t.TryGetValue<string>(out var type))
            {
                schema["type"] = new JsonArray(type, "null");
            }
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (_, child) in properties)
            {
                PrepareChild(child);
            }

            if (!preserveUnknown && !schema.ContainsKey("additionalProperties"))
            {
                schema["additionalProperties"] = false;
            }
        }

        PrepareChild(schema["items"]);
        PrepareChild(schema["additionalProperties"]);
        PrepareChild(schema["not"]);
        foreach (var combinator in new[] { "anyOf", "oneOf", "allOf" })
        {
            if (schema[combinator] is JsonArray options)
            {
                foreach (var option in options)
                {
                    PrepareChild(option);
                }
            }
        }
    }

    private static void PrepareChild(JsonNode? node)
    {
        if (node is JsonObject child)
        {
            Prepare(child);
        }
    }

    private static IReadOnlyList<JsonObject> LoadCrds()
    {
        // Istio's own CRDs, and LazyMesh's (as `lazymesh crd` prints them).
        var path = RepoPaths.IstioCrds();
        return [.. YamlJson.ParseAll(File.ReadAllText(path)).Concat(YamlJson.ParseAll(LazyMesh.Cli.CrdCommand.Manifest())).OfType<JsonObject>()
            .Where(d => d["kind"]?.GetValue<string>() == "CustomResourceDefinition")];
    }
}
