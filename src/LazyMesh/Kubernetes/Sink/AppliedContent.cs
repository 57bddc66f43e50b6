using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>
/// Decides, from the live object alone, whether a server-side apply would change anything, so that a controller that
/// has just started (and so remembers nothing it applied) sends no write that changes nothing. Two checks, both
/// needed:
/// <list type="number">
/// <item>the object carries <see cref="HashAnnotation"/> with the hash of exactly this apply body: LazyMesh's last
/// apply had this content, so no field it owned then is missing from the body now (a field dropped from the body is
/// removed by the apply, which the live object alone cannot show);</item>
/// <item>every field of the body is in the live object with the same value: nobody changed a field LazyMesh sets.
/// Lists compare whole (Istio's lists are atomic: an apply replaces them), except in objects whose lists are
/// keyed maps that the API server defaults per element (a Service's ports get <c>protocol</c> and
/// <c>targetPort</c>), where each element of the body must be in the live element.</item>
/// </list>
/// Fields of other managers, server-set metadata and status are ignored: an apply leaves them as they are.
/// </summary>
public static class AppliedContent
{
    /// <summary>The hash of the last apply body, on every object LazyMesh applies (like kubectl's last-applied-configuration, but a hash).</summary>
    public const string HashAnnotation = "lazymesh.io/applied-hash";

    /// <summary>
    /// The body as sent: <paramref name="json"/> (the object serialized) with <see cref="HashAnnotation"/> set to the
    /// hash of that content; <paramref name="hash"/> is the hash.
    /// </summary>
    public static JsonObject Stamp(string json, out string hash)
    {
        hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..32].ToLowerInvariant();
        var body = JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("an apply body must be a JSON object", nameof(json));
        var metadata = body["metadata"] as JsonObject ?? throw new ArgumentException("an apply body needs metadata", nameof(json));
        if (metadata["annotations"] is not JsonObject annotations)
        {
            metadata["annotations"] = annotations = [];
        }

        annotations[HashAnnotation] = hash;
        return body;
    }

    /// <summary>True when applying <paramref name="body"/> (stamped) to <paramref name="live"/> would change nothing.</summary>
    public static bool IsCurrent(JsonObject body, JsonNode? live, bool listElementsMayHaveDefaults = false) =>
        live is JsonObject liveObject && Covers(body, liveObject, listElementsMayHaveDefaults);

    private static bool Covers(JsonNode? wanted, JsonNode? live, bool lenientLists)
    {
        switch (wanted)
        {
            case null:
                return live is null;
            case JsonObject wantedObject:
                if (live is not JsonObject liveObject)
                {
                    return false;
                }

                foreach (var (name, value) in wantedObject)
                {
                    if (!liveObject.TryGetPropertyValue(name, out var liveValue) || !Covers(value, liveValue, lenientLists))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray wantedArray:
                if (live is not JsonArray liveArray || liveArray.Count != wantedArray.Count)
                {
                    return false;
                }

                for (var i = 0; i < wantedArray.Count; i++)
                {
                    if (lenientLists ? !Covers(wantedArray[i], liveArray[i], lenientLists) : !JsonNode.DeepEquals(wantedArray[i], liveArray[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return JsonNode.DeepEquals(wanted, live);
        }
    }
}
