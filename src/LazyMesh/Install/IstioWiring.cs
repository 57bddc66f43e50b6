using System.Text.Json.Nodes;
using LazyMesh.Rendering;

namespace LazyMesh.Install;

/// <summary>
/// What Istio needs so that every sidecar streams its access logs to the controller, without EnvoyFilters:
/// two MeshConfig <c>extensionProviders</c> (<c>envoyHttpAls</c>, <c>envoyTcpAls</c>: fields <c>service</c>,
/// <c>port</c>, <c>logName</c>; istio/api mesh/v1alpha1/config.proto EnvoyHttpGrpcV3LogProvider and
/// EnvoyTcpGrpcV3LogProvider) and a mesh-wide <c>Telemetry</c> (telemetry.istio.io/v1, istio/api
/// telemetry/v1/telemetry.proto AccessLogging.providers) in the root namespace that selects them and keeps the
/// built-in <c>envoy</c> provider, because a Telemetry with access logging replaces <c>meshConfig.accessLogFile</c>.
/// Pure functions.
/// </summary>
/// <remarks>
/// Istio facts (istio/istio 1.28.0): extension providers from a user's MeshConfig are merged by name into the
/// defaults, which always contain <c>envoy</c> (/dev/stdout) (pkg/config/mesh/mesh.go DefaultMeshConfig and
/// ApplyMeshConfig), so the <c>envoy</c> name is always resolvable. The provider's cluster is the ordinary outbound
/// cluster of the controller's Service port (pilot/pkg/model/telemetry_logging.go httpGrpcAccessLogFromTelemetry ->
/// LookupCluster), so that port must be named <c>grpc-*</c> for Envoy to speak HTTP/2 to it
/// (pkg/config/kube/conversion.go ConvertProtocol; pkg/config/protocol/instance.go IsHTTP2). Only the oldest
/// selector-less Telemetry of the root namespace applies mesh-wide (pilot/pkg/model/telemetry.go
/// sortConfigByCreationTime and namespaceWideTelemetryConfig), which is why an existing one is merged into or
/// reported instead of adding a second (see <see cref="TelemetryPlanner"/>).
/// </remarks>
public static class IstioWiring
{
    public const string BuiltinEnvoyProvider = "envoy";
    public const string LogName = "lazymesh";
    public const string TelemetryApiVersion = "telemetry.istio.io/v1";

    /// <summary>Every provider name the Telemetry lists: the built-in stdout one first, then LazyMesh's two.</summary>
    public static IReadOnlyList<string> ProviderNames { get; } = [BuiltinEnvoyProvider, InstallOptions.HttpProviderName, InstallOptions.TcpProviderName];

    /// <summary>The two <c>meshConfig.extensionProviders</c> entries.</summary>
    public static JsonArray ExtensionProviders(InstallOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return
        [
            new JsonObject
            {
                ["name"] = InstallOptions.HttpProviderName,
                ["envoyHttpAls"] = new JsonObject { ["service"] = options.ControllerFqdn, ["port"] = InstallOptions.AlsPort, ["logName"] = LogName },
            },
            new JsonObject
            {
                ["name"] = InstallOptions.TcpProviderName,
                ["envoyTcpAls"] = new JsonObject { ["service"] = options.ControllerFqdn, ["port"] = InstallOptions.AlsPort, ["logName"] = LogName },
            },
        ];
    }

    /// <summary>The <c>accessLogging</c> list of LazyMesh's Telemetry.</summary>
    public static JsonArray AccessLogging() =>
    [
        new JsonObject { ["providers"] = new JsonArray([.. ProviderNames.Select(n => (JsonNode)new JsonObject { ["name"] = n })]) },
    ];

    /// <summary>LazyMesh's mesh-wide Telemetry in the root namespace.</summary>
    public static JsonObject Telemetry(InstallOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new JsonObject
        {
            ["apiVersion"] = TelemetryApiVersion,
            ["kind"] = "Telemetry",
            ["metadata"] = new JsonObject
            {
                ["name"] = InstallOptions.TelemetryName,
                ["namespace"] = options.IstioNamespace,
                ["labels"] = InstallRenderer.Labels("istio-wiring"),
            },
            ["spec"] = new JsonObject { ["accessLogging"] = AccessLogging() },
        };
    }

    /// <summary>
    /// <paramref name="meshYaml"/> (the <c>mesh</c> key of istiod's ConfigMap) with LazyMesh's providers added or
    /// replaced by name and every other setting kept. Empty or missing text is an empty MeshConfig.
    /// </summary>
    public static string MergeIntoMesh(string? meshYaml, InstallOptions options)
    {
        var mesh = ParseMesh(meshYaml);
        var providers = mesh["extensionProviders"] as JsonArray ?? [];
        var ours = ExtensionProviders(options);
        var kept = providers.Where(p => !IsOurs(p)).Select(p => p!.DeepClone()).ToList();
        mesh["extensionProviders"] = new JsonArray([.. kept, .. ours.Select(p => p!.DeepClone())]);
        return ResourceYaml.SerializeNode(mesh);
    }

    /// <summary><paramref name="meshYaml"/> without LazyMesh's providers (the key dropped when nothing is left).</summary>
    public static string RemoveFromMesh(string? meshYaml)
    {
        var mesh = ParseMesh(meshYaml);
        if (mesh["extensionProviders"] is JsonArray providers)
        {
            var kept = providers.Where(p => !IsOurs(p)).Select(p => p!.DeepClone()).ToList();
            if (kept.Count == 0)
            {
                mesh.Remove("extensionProviders");
            }
            else
            {
                mesh["extensionProviders"] = new JsonArray([.. kept]);
            }
        }

        return mesh.Count == 0 ? "{}\n" : ResourceYaml.SerializeNode(mesh);
    }

    /// <summary>Whether <paramref name="meshYaml"/> already has LazyMesh's providers exactly as rendered.</summary>
    public static bool MeshHasProviders(string? meshYaml, InstallOptions options)
    {
        var providers = ParseMesh(meshYaml)["extensionProviders"] as JsonArray ?? [];
        return ExtensionProviders(options).All(o => providers.Any(p => JsonNode.DeepEquals(p, o)));
    }

    /// <summary>The patch of istiod's ConfigMap, for users who edit it (kubectl edit; a Helm upgrade reverts it).</summary>
    public static JsonObject MeshConfigMapPatch(InstallOptions options, string? currentMeshYaml = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = options.MeshConfigMapName, ["namespace"] = options.IstioNamespace },
        ["data"] = new JsonObject { ["mesh"] = MergeIntoMesh(currentMeshYaml, options) },
    };

    /// <summary>The IstioOperator fragment (<c>istioctl install -f</c>; merge it into yours).</summary>
    public static JsonObject IstioOperatorFragment(InstallOptions options)
    {
        var spec = new JsonObject { ["meshConfig"] = new JsonObject { ["extensionProviders"] = ExtensionProviders(options) } };
        if (options.HasRevision)
        {
            spec["revision"] = options.Revision;
        }

        return new JsonObject
        {
            ["apiVersion"] = "install.istio.io/v1alpha1",
            ["kind"] = "IstioOperator",
            ["metadata"] = new JsonObject { ["name"] = "lazymesh-wiring", ["namespace"] = options.IstioNamespace },
            ["spec"] = spec,
        };
    }

    /// <summary>The Helm values fragment of the istiod chart (<c>helm upgrade istiod istio/istiod -f</c>).</summary>
    public static JsonObject HelmValuesFragment(InstallOptions options)
    {
        var values = new JsonObject { ["meshConfig"] = new JsonObject { ["extensionProviders"] = ExtensionProviders(options) } };
        if (options.HasRevision)
        {
            values["revision"] = options.Revision;
        }

        return values;
    }

    /// <summary>Whether an extension provider entry is one of LazyMesh's (by name).</summary>
    public static bool IsOurs(JsonNode? provider) =>
        provider is JsonObject o && o["name"] is JsonValue v && v.TryGetValue<string>(out var name)
        && name is InstallOptions.HttpProviderName or InstallOptions.TcpProviderName;

    private static JsonObject ParseMesh(string? meshYaml)
    {
        if (string.IsNullOrWhiteSpace(meshYaml))
        {
            return [];
        }

        return YamlJson.Parse(meshYaml) switch
        {
            JsonObject o => o,
            null => [],
            _ => throw new FormatException("the MeshConfig is not a YAML mapping"),
        };
    }
}
