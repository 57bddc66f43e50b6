using System.Text.Json.Nodes;
using LazyMesh.Kubernetes.Sink;
using LazyMesh.Rendering;

namespace LazyMesh.Install;

/// <summary>
/// <c>lazymesh install --apply</c>: server-side applies every rendered object (field manager
/// <c>lazymesh-install</c>), wires Istio (Telemetry per <see cref="TelemetryPlanner"/>, extension providers merged
/// into istiod's ConfigMap) and prints one line per object: created, configured (with the changed fields) or
/// unchanged. With <c>dryRun</c> the server is asked what would change (<c>dryRun=All</c>) and nothing is written.
/// Idempotent: a second run prints "unchanged" everywhere and writes nothing that changes.
/// </summary>
public sealed class ClusterInstaller(ObjectClient client, TextWriter output)
{
    /// <summary>True when everything was installed and wired; false when something needs the user (printed as "ACTION").</summary>
    public async Task<bool> InstallAsync(InstallOptions options, bool dryRun, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var complete = true;
        var creatingNamespaces = new HashSet<string>(StringComparer.Ordinal);
        foreach (var obj in InstallRenderer.Render(options))
        {
            if ((string?)obj["kind"] == "Telemetry")
            {
                complete &= await WireTelemetryAsync(options, obj, dryRun, ct).ConfigureAwait(false);
                continue;
            }

            var resource = ApiResource.Of(obj);
            var ns = (string?)obj["metadata"]?["namespace"];
            var name = (string)obj["metadata"]!["name"]!;
            var before = await client.GetAsync(resource, ns, name, ct).ConfigureAwait(false);
            if ((string?)obj["kind"] == "Namespace" && before is not null && !IsManaged(before))
            {
                await WriteAsync($"{ApiResource.Describe(obj)}: exists and is not LazyMesh's, left as it is");
                continue;
            }

            if ((string?)obj["kind"] == "Namespace" && before is null)
            {
                creatingNamespaces.Add(name);
            }

            if (dryRun && ns is not null && creatingNamespaces.Contains(ns))
            {
                await WriteAsync($"{ApiResource.Describe(obj)}: would be created");
                continue;
            }

            var after = await client.ApplyAsync(obj, InstallRenderer.FieldManager, force: true, dryRun, ct).ConfigureAwait(false);
            await ReportAsync(obj, before, after, dryRun);
        }

        complete &= await WireMeshConfigAsync(options, dryRun, ct).ConfigureAwait(false);
        await WriteAsync(complete
            ? dryRun ? "dry run: nothing was changed" : "installed; label a namespace lazymesh.io/enabled=true to make its workloads lazy"
            : "ACTION needed: see the lines above");
        return complete;
    }

    internal static bool IsManaged(JsonObject obj) =>
        (string?)obj["metadata"]?["labels"]?[LazyMeshMetadata.ManagedByLabel] == LazyMeshMetadata.ManagedByValue;

    private async Task<bool> WireTelemetryAsync(InstallOptions options, JsonObject ours, bool dryRun, CancellationToken ct)
    {
        var resource = ApiResource.Of(ours);
        var existing = await client.ListAsync(resource, options.IstioNamespace, labelSelector: null, ct).ConfigureAwait(false);
        if (existing is null)
        {
            await WriteAsync($"ACTION: Telemetry is not served (telemetry.istio.io/v1): install Istio first; nothing sends access logs to LazyMesh");
            return false;
        }

        var plan = TelemetryPlanner.Plan(existing);
        switch (plan.Action)
        {
            case TelemetryAction.ApplyOwn:
                {
                    var before = existing.FirstOrDefault(t => (string?)t["metadata"]?["name"] == InstallOptions.TelemetryName);
                    var after = await client.ApplyAsync(ours, InstallRenderer.FieldManager, force: true, dryRun, ct).ConfigureAwait(false);
                    await ReportAsync(ours, before, after, dryRun);
                    return true;
                }

            case TelemetryAction.MergeIntoExisting:
                {
                    var before = existing.First(t => (string?)t["metadata"]?["name"] == plan.ExistingName);
                    var merge = TelemetryMerge(options, plan.ExistingName!);
                    var after = await client.ApplyAsync(merge, InstallRenderer.FieldManager, force: false, dryRun, ct).ConfigureAwait(false);
                    await WriteAsync(plan.Message);
                    await ReportAsync(merge, before, after, dryRun);
                    return true;
                }

            case TelemetryAction.AlreadyWired:
                await WriteAsync(plan.Message);
                return true;
            default:
                await WriteAsync("ACTION: " + plan.Message);
                return false;
        }
    }

    /// <summary>The apply configuration that adds LazyMesh's access logging to a user's Telemetry (and, applied empty, removes it).</summary>
    internal static JsonObject TelemetryMerge(InstallOptions options, string name, bool withAccessLogging = true)
    {
        var merge = new JsonObject
        {
            ["apiVersion"] = IstioWiring.TelemetryApiVersion,
            ["kind"] = "Telemetry",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = options.IstioNamespace },
        };
        if (withAccessLogging)
        {
            merge["spec"] = new JsonObject { ["accessLogging"] = IstioWiring.AccessLogging() };
        }

        return merge;
    }

    private async Task<bool> WireMeshConfigAsync(InstallOptions options, bool dryRun, CancellationToken ct)
    {
        var configMaps = ApiResource.Of(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap" });
        var what = $"ConfigMap {options.IstioNamespace}/{options.MeshConfigMapName} (MeshConfig extensionProviders)";
        var current = await client.GetAsync(configMaps, options.IstioNamespace, options.MeshConfigMapName, ct).ConfigureAwait(false);
        if (current is null)
        {
            await WriteAsync($"ACTION: {what}: not found; add the providers with your Istio install: lazymesh install --mesh-config istiooperator|helm");
            return false;
        }

        var mesh = (string?)current["data"]?["mesh"];
        if (IstioWiring.MeshHasProviders(mesh, options))
        {
            await WriteAsync($"{what}: unchanged");
            return true;
        }

        if (dryRun)
        {
            await WriteAsync($"{what}: would add {InstallOptions.HttpProviderName} and {InstallOptions.TcpProviderName}");
            return true;
        }

        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = (string?)current["metadata"]?["resourceVersion"] },
            ["data"] = new JsonObject { ["mesh"] = IstioWiring.MergeIntoMesh(mesh, options) },
        };
        await client.MergePatchAsync(configMaps, options.IstioNamespace, options.MeshConfigMapName, patch, InstallRenderer.FieldManager, ct).ConfigureAwait(false);
        await WriteAsync($"{what}: configured (a Helm or istioctl upgrade reverts this edit: put the fragment of `lazymesh install --mesh-config helm|istiooperator` into your Istio values)");
        return true;
    }

    private async Task ReportAsync(JsonObject obj, JsonObject? before, JsonObject after, bool dryRun)
    {
        var what = ApiResource.Describe(obj);
        if (before is null)
        {
            await WriteAsync($"{what}: {(dryRun ? "would be created" : "created")}");
            return;
        }

        var changed = ObjectDiff.ChangedPaths(before, after);
        await WriteAsync(changed.Count == 0
            ? $"{what}: unchanged"
            : $"{what}: {(dryRun ? "would change" : "configured")} {string.Join(", ", changed)}");
    }

    private Task WriteAsync(string line) => output.WriteLineAsync(line);
}
