using System.Text.Json.Nodes;

namespace LazyMesh.Install;

/// <summary>
/// Decides how LazyMesh's access logging joins the root namespace's Telemetries without clobbering a user's.
/// Istio applies only the oldest selector-less Telemetry of the root namespace mesh-wide (istio/istio 1.28.0
/// pilot/pkg/model/telemetry.go: sortConfigByCreationTime, namespaceWideTelemetryConfig), so a second one would be
/// silently ignored: the user's is merged into when it has no access logging, and reported when it has. Pure.
/// </summary>
public static class TelemetryPlanner
{
    public static TelemetryPlan Plan(IEnumerable<JsonObject> rootTelemetries)
    {
        ArgumentNullException.ThrowIfNull(rootTelemetries);
        var foreign = rootTelemetries
            .Where(t => Name(t) != InstallOptions.TelemetryName && IsMeshWide(t))
            .OrderBy(t => (string?)t["metadata"]?["creationTimestamp"] ?? "", StringComparer.Ordinal)
            .ThenBy(Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (foreign is null)
        {
            return new(TelemetryAction.ApplyOwn, null, $"Telemetry {InstallOptions.TelemetryName}: sidecar access logs to {string.Join(", ", IstioWiring.ProviderNames)}");
        }

        var name = Name(foreign);
        if (foreign["spec"]?["accessLogging"] is not JsonArray logging || logging.Count == 0)
        {
            return new(TelemetryAction.MergeIntoExisting, name, $"Telemetry {name} (yours, mesh-wide, no access logging): adding accessLogging to {string.Join(", ", IstioWiring.ProviderNames)}");
        }

        var providers = logging
            .SelectMany(l => l?["providers"] as JsonArray ?? [])
            .Select(p => (string?)p?["name"])
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (providers.Contains(InstallOptions.HttpProviderName) && providers.Contains(InstallOptions.TcpProviderName))
        {
            return new(TelemetryAction.AlreadyWired, name, $"Telemetry {name} (yours) already sends access logs to {InstallOptions.HttpProviderName} and {InstallOptions.TcpProviderName}");
        }

        return new(
            TelemetryAction.Report,
            name,
            $"Telemetry {name} (yours, mesh-wide) already configures access logging and is left as it is; add providers "
            + $"'{InstallOptions.HttpProviderName}' and '{InstallOptions.TcpProviderName}' to its spec.accessLogging[].providers "
            + "(keep 'envoy' there for stdout logs), or LazyMesh learns nothing");
    }

    private static string Name(JsonObject telemetry) => (string?)telemetry["metadata"]?["name"] ?? "";

    private static bool IsMeshWide(JsonObject telemetry)
    {
        var spec = telemetry["spec"];
        var selector = spec?["selector"]?["matchLabels"] as JsonObject;
        var targetRef = spec?["targetRef"];
        var targetRefs = spec?["targetRefs"] as JsonArray;
        return (selector is null || selector.Count == 0) && targetRef is null && (targetRefs is null || targetRefs.Count == 0);
    }
}
