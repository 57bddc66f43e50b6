using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace LazyMesh.Tests.Support;

/// <summary>
/// Validates Kubernetes objects against the Kubernetes OpenAPI schema as KubernetesClient compiles it into its
/// models (generated from the API server's swagger.json): the object is deserialised into the model of its
/// apiVersion/kind — wrong types and missing required fields (C# <c>required</c> members) fail — and serialised
/// back; any field that does not survive the round trip is unknown to the schema (what the API server's strict
/// field validation rejects). Enumerations and formats beyond the types are not checked.
/// </summary>
public static class KubernetesSchemas
{
    private static readonly Dictionary<string, Type> Models = new(StringComparer.Ordinal)
    {
        ["v1/Namespace"] = typeof(V1Namespace),
        ["v1/ServiceAccount"] = typeof(V1ServiceAccount),
        ["v1/Service"] = typeof(V1Service),
        ["v1/ConfigMap"] = typeof(V1ConfigMap),
        ["apiextensions.k8s.io/v1/CustomResourceDefinition"] = typeof(V1CustomResourceDefinition),
        ["rbac.authorization.k8s.io/v1/ClusterRole"] = typeof(V1ClusterRole),
        ["rbac.authorization.k8s.io/v1/ClusterRoleBinding"] = typeof(V1ClusterRoleBinding),
        ["rbac.authorization.k8s.io/v1/Role"] = typeof(V1Role),
        ["rbac.authorization.k8s.io/v1/RoleBinding"] = typeof(V1RoleBinding),
        ["apps/v1/Deployment"] = typeof(V1Deployment),
        ["policy/v1/PodDisruptionBudget"] = typeof(V1PodDisruptionBudget),
        ["autoscaling/v2/HorizontalPodAutoscaler"] = typeof(V2HorizontalPodAutoscaler),
    };

    /// <summary>Whether the kind is a built-in Kubernetes kind this helper knows.</summary>
    public static bool Knows(JsonObject obj) => Models.ContainsKey(Key(obj));

    /// <summary>Errors for <paramref name="obj"/>; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (!Models.TryGetValue(Key(obj), out var type))
        {
            return [$"no Kubernetes model for {Key(obj)}"];
        }

        object? model;
        try
        {
            model = JsonSerializer.Deserialize(obj.ToJsonString(), type, SerializerOptions);
        }
        catch (JsonException e)
        {
            return [$"{Key(obj)}: {e.Message}"];
        }

        var back = JsonNode.Parse(KubernetesJson.Serialize(model!));
        var errors = new List<string>();
        Compare(obj, back, "", errors);
        return errors;
    }

    private static readonly JsonSerializerOptions SerializerOptions = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        // KubernetesJson's own options (converters for quantities, int-or-string, dates), plus: unknown members fail.
        var options = new JsonSerializerOptions(typeof(KubernetesJson).GetField("JsonSerializerOptions", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)?.GetValue(null) as JsonSerializerOptions
            ?? new JsonSerializerOptions())
        {
            UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        };
        return options;
    }

    private static string Key(JsonObject obj) => $"{(string?)obj["apiVersion"]}/{(string?)obj["kind"]}";

    private static void Compare(JsonNode? original, JsonNode? roundTrip, string path, List<string> errors)
    {
        switch (original)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    var child = path.Length == 0 ? key : path + "." + key;
                    if (roundTrip is not JsonObject r || !r.ContainsKey(key))
                    {
                        if (value is not null)
                        {
                            errors.Add($"{child}: unknown field");
                        }

                        continue;
                    }

                    Compare(value, r[key], child, errors);
                }

                break;
            case JsonArray a:
                if (roundTrip is not JsonArray ra || ra.Count != a.Count)
                {
                    errors.Add($"{path}: list changed in the round trip");
                    return;
                }

                for (var i = 0; i < a.Count; i++)
                {
                    Compare(a[i], ra[i], $"{path}[{i}]", errors);
                }

                break;
            case JsonValue v:
                if (roundTrip is not JsonValue rv || v.ToJsonString() != rv.ToJsonString())
                {
                    errors.Add($"{path}: {v.ToJsonString()} became {roundTrip?.ToJsonString() ?? "nothing"}");
                }

                break;
        }
    }
}
