using System.Text.Json.Nodes;
using k8s;
using LazyMesh.Cli;

namespace LazyMesh.Install;

/// <summary>
/// <c>lazymesh uninstall</c>, in an order that cannot leave a half-working mesh: (1) the controller is scaled to
/// zero and deleted, so nothing recreates what follows; (2) generated Sidecars, EnvoyFilters and the fallback
/// Service are reverted (<see cref="RevertCommand"/>), LazySidecars too unless <c>keepCrd</c>; (3) the Istio wiring
/// goes (LazyMesh's Telemetry, or the access logging it merged into a user's, and its extension providers in
/// istiod's ConfigMap); (4) LazyMesh's own objects, newest first, each only if labelled as LazyMesh's; with
/// <c>keepCrd</c> the CRD stays and so does learned state.
/// </summary>
public sealed class ClusterUninstaller(ObjectClient client, IKubernetes kubernetes, TextWriter output)
{
    /// <summary>How long to wait for the controller's pods to go after scaling to zero.</summary>
    public TimeSpan ScaleDownTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public async Task UninstallAsync(InstallOptions options, bool keepCrd, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var objects = InstallRenderer.Render(options);
        await StopControllerAsync(options, ct).ConfigureAwait(false);
        await RevertCommand.RunAsync(kubernetes, null, output, ct, keepLearnedState: keepCrd).ConfigureAwait(false);
        await DeleteEventsAsync(ct).ConfigureAwait(false);
        await UnwireAsync(options, ct).ConfigureAwait(false);
        foreach (var obj in objects.Reverse())
        {
            var kind = (string?)obj["kind"];
            if (kind == "Telemetry" || (keepCrd && kind == "CustomResourceDefinition"))
            {
                continue;
            }

            await DeleteIfOursAsync(obj, ct).ConfigureAwait(false);
        }

        await output.WriteLineAsync(keepCrd ? "uninstalled; the LazySidecar CRD and learned state were kept" : "uninstalled");
    }

    private async Task StopControllerAsync(InstallOptions options, CancellationToken ct)
    {
        var deployments = new ApiResource("apps", "v1", "deployments", true);
        var current = await client.GetAsync(deployments, options.Namespace, InstallOptions.ControllerName, ct).ConfigureAwait(false);
        if (current is null || !ClusterInstaller.IsManaged(current))
        {
            return;
        }

        await client.MergePatchAsync(deployments, options.Namespace, InstallOptions.ControllerName, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 0 } }, InstallRenderer.FieldManager, ct).ConfigureAwait(false);
        await output.WriteLineAsync($"Deployment {options.Namespace}/{InstallOptions.ControllerName}: scaled to 0");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ScaleDownTimeout);
        try
        {
            while (await client.GetAsync(deployments, options.Namespace, InstallOptions.ControllerName, timeout.Token).ConfigureAwait(false) is { } d
                && ((int?)d["status"]?["replicas"] ?? 0) > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await output.WriteLineAsync($"controller pods still running after {ScaleDownTimeout.TotalSeconds:0} s; deleting the Deployment anyway");
        }

        if (await client.DeleteAsync(deployments, options.Namespace, InstallOptions.ControllerName, ct).ConfigureAwait(false))
        {
            await output.WriteLineAsync($"deleted Deployment {options.Namespace}/{InstallOptions.ControllerName}");
        }
    }

    private async Task DeleteEventsAsync(CancellationToken ct)
    {
        var events = await kubernetes.CoreV1.ListEventForAllNamespacesAsync(fieldSelector: "reportingComponent=" + Kubernetes.Sink.KubeEvents.Component, cancellationToken: ct).ConfigureAwait(false);
        var eventResource = new ApiResource("", "v1", "events", true);
        var removed = 0;
        foreach (var e in events.Items.Where(e => e.ReportingComponent == Kubernetes.Sink.KubeEvents.Component))
        {
            removed += await client.DeleteAsync(eventResource, e.Metadata.NamespaceProperty, e.Metadata.Name, ct).ConfigureAwait(false) ? 1 : 0;
        }

        if (removed > 0)
        {
            await output.WriteLineAsync($"deleted {removed} Events of LazyMesh");
        }
    }

    private async Task UnwireAsync(InstallOptions options, CancellationToken ct)
    {
        var telemetries = new ApiResource("telemetry.istio.io", "v1", "telemetries", true);
        foreach (var telemetry in await client.ListAsync(telemetries, options.IstioNamespace, null, ct).ConfigureAwait(false) ?? [])
        {
            var name = (string)telemetry["metadata"]!["name"]!;
            if (name == InstallOptions.TelemetryName && ClusterInstaller.IsManaged(telemetry))
            {
                await client.DeleteAsync(telemetries, options.IstioNamespace, name, ct).ConfigureAwait(false);
                await output.WriteLineAsync($"deleted Telemetry {options.IstioNamespace}/{name}");
            }
            else if ((telemetry["metadata"]?["managedFields"] as JsonArray ?? []).Any(f => (string?)f?["manager"] == InstallRenderer.FieldManager && (string?)f?["operation"] == "Apply"))
            {
                // Applying nothing with the same field manager removes exactly the fields it added.
                await client.ApplyAsync(ClusterInstaller.TelemetryMerge(options, name, withAccessLogging: false), InstallRenderer.FieldManager, force: false, dryRun: false, ct).ConfigureAwait(false);
                await output.WriteLineAsync($"Telemetry {options.IstioNamespace}/{name} (yours): LazyMesh's access logging removed");
            }
        }

        var configMaps = new ApiResource("", "v1", "configmaps", true);
        var current = await client.GetAsync(configMaps, options.IstioNamespace, options.MeshConfigMapName, ct).ConfigureAwait(false);
        var mesh = (string?)current?["data"]?["mesh"];
        if (current is null || !(mesh?.Contains(InstallOptions.HttpProviderName, StringComparison.Ordinal) == true || mesh?.Contains(InstallOptions.TcpProviderName, StringComparison.Ordinal) == true))
        {
            return;
        }

        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = (string?)current["metadata"]?["resourceVersion"] },
            ["data"] = new JsonObject { ["mesh"] = IstioWiring.RemoveFromMesh(mesh) },
        };
        await client.MergePatchAsync(configMaps, options.IstioNamespace, options.MeshConfigMapName, patch, InstallRenderer.FieldManager, ct).ConfigureAwait(false);
        await output.WriteLineAsync($"ConfigMap {options.IstioNamespace}/{options.MeshConfigMapName}: LazyMesh's extension providers removed");
    }

    private async Task DeleteIfOursAsync(JsonObject obj, CancellationToken ct)
    {
        var resource = ApiResource.Of(obj);
        var ns = (string?)obj["metadata"]?["namespace"];
        var name = (string)obj["metadata"]!["name"]!;
        var current = await client.GetAsync(resource, ns, name, ct).ConfigureAwait(false);
        if (current is null)
        {
            return;
        }

        if (!ClusterInstaller.IsManaged(current))
        {
            await output.WriteLineAsync($"{ApiResource.Describe(obj)}: not LazyMesh's, left as it is");
            return;
        }

        if (await client.DeleteAsync(resource, ns, name, ct).ConfigureAwait(false))
        {
            await output.WriteLineAsync($"deleted {ApiResource.Describe(obj)}");
        }
    }
}
