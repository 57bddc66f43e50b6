using System.Text.Json.Nodes;
using LazyMesh.KubeTesting;

namespace LazyMesh.Tests.Kubernetes.Sink;

internal static class KubeAssert
{
    public static JsonObject? Sidecar(KubeTestServer server, string name, string ns = "shop") => server.GetStoredObject("networking.istio.io", "sidecars", ns, name);

    public static JsonObject? LazySidecar(KubeTestServer server, string name, string ns = "shop") => server.GetStoredObject("lazymesh.io", "lazysidecars", ns, name);

    public static List<string> Hosts(JsonObject sidecar) =>
        [.. sidecar["spec"]!["egress"]![0]!["hosts"]!.AsArray().Select(h => h!.GetValue<string>())];

    public static List<string> LearnedHosts(JsonObject lazy) =>
        [.. (lazy["status"]?["learnedHosts"]?.AsArray() ?? []).Select(h => h!["host"]!.GetValue<string>())];

    public static string? Condition(JsonObject lazy, string type, string field = "status") =>
        (lazy["status"]?["conditions"]?.AsArray() ?? []).FirstOrDefault(c => c!["type"]!.GetValue<string>() == type)?[field]?.GetValue<string>();
}
