using System.CommandLine;
using k8s;
using LazyMesh.Istio;
using LazyMesh.Kubernetes.Sink;
using LazyMesh.Kubernetes.State;

namespace LazyMesh.Cli;

/// <summary>
/// <c>lazymesh revert</c>: deletes everything LazyMesh generated — objects labelled
/// <c>app.kubernetes.io/managed-by=lazymesh</c> (EnvoyFilters, Sidecars, LazySidecars, the fallback's DestinationRule, then its Service) —
/// and nothing else.
/// </summary>
public static class RevertCommand
{
    private static readonly (string Group, string Version, string Plural, string Kind)[] Kinds =
    [
        ("networking.istio.io", "v1alpha3", "envoyfilters", "EnvoyFilter"),
        (SidecarResource.Group, "v1", SidecarResource.Plural, SidecarResource.ResourceKind),
        (LazySidecarResource.Group, LazySidecarResource.Version, LazySidecarResource.Plural, LazySidecarResource.ResourceKind),
        (SidecarResource.Group, ApiRoutingWriter.DestinationRuleVersion, ApiRoutingWriter.DestinationRulePlural, "DestinationRule"),
    ];

    public static Command Create()
    {
        // Deleting needs an explicit scope: -n NAMESPACE or -A (--all, the older spelling, still works).
        var namespaces = new NamespaceOptions("Only this namespace", choiceRequired: true, allAliases: "--all");
        var kubeconfig = KubeClientFactory.KubeconfigOption();
        var context = KubeClientFactory.ContextOption();
        var command = new Command("revert", "Remove every object LazyMesh generated (LazySidecars, Sidecars, ...); user objects are untouched") { kubeconfig, context };
        namespaces.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = (IDisposable)KubeClientFactory.Create(parse.GetValue(kubeconfig), parse.GetValue(context));
            return await RunAsync((IKubernetes)client, namespaces.Read(parse).FirstOrDefault(), Console.Out, ct);
        });
        return command;
    }

    /// <summary>
    /// Deletes LazyMesh's objects in <paramref name="namespace"/> (null: all), printing each; returns the exit code.
    /// <paramref name="keepLearnedState"/> keeps the LazySidecars (what was learned) and removes only the Sidecars and routing.
    /// </summary>
    public static async Task<int> RunAsync(IKubernetes client, string? @namespace, TextWriter stdout, CancellationToken cancellationToken, bool keepLearnedState = false)
    {
        var removed = 0;
        foreach (var (group, version, plural, kind) in Kinds)
        {
            if (keepLearnedState && plural == LazySidecarResource.Plural)
            {
                continue;
            }

            foreach (var (ns, name) in await ListManagedAsync(client, group, version, plural, @namespace, cancellationToken))
            {
                try
                {
                    await client.CustomObjects.DeleteNamespacedCustomObjectAsync(group, version, ns, plural, name, propagationPolicy: "Background", cancellationToken: cancellationToken);
                    await stdout.WriteLineAsync($"deleted {kind} {ns}/{name}");
                    removed++;
                }
                catch (Exception e) when (KubeErrors.IsNotFound(e))
                {
                    // Already gone (e.g. garbage-collected with its LazySidecar).
                }
            }
        }

        // The fallback's Service, only if LazyMesh's (labelled); the EnvoyFilters that route to it are already gone.
        foreach (var (ns, name) in await ListManagedServicesAsync(client, @namespace, cancellationToken))
        {
            try
            {
                await client.CoreV1.DeleteNamespacedServiceAsync(name, ns, cancellationToken: cancellationToken);
                await stdout.WriteLineAsync($"deleted Service {ns}/{name}");
                removed++;
            }
            catch (Exception e) when (KubeErrors.IsNotFound(e))
            {
            }
        }

        await stdout.WriteLineAsync(removed == 0 ? "nothing to remove" : $"removed {removed} objects");
        return CliExitCodes.Success;
    }

    private static async Task<List<(string Namespace, string Name)>> ListManagedServicesAsync(IKubernetes client, string? ns, CancellationToken cancellationToken)
    {
        var result = new List<(string, string)>();
        string? next = null;
        do
        {
            var page = ns is null
                ? await client.CoreV1.ListServiceForAllNamespacesAsync(labelSelector: ManagedObjects.LabelSelector, continueParameter: next, cancellationToken: cancellationToken)
                : await client.CoreV1.ListNamespacedServiceAsync(ns, labelSelector: ManagedObjects.LabelSelector, continueParameter: next, cancellationToken: cancellationToken);
            result.AddRange(page.Items.Where(s => ManagedObjects.IsManaged(s.Metadata)).Select(s => (s.Metadata.NamespaceProperty, s.Metadata.Name)));
            next = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(next));

        result.Sort();
        return result;
    }

    private static async Task<List<(string Namespace, string Name)>> ListManagedAsync(IKubernetes client, string group, string version, string plural, string? ns, CancellationToken cancellationToken)
    {
        var result = new List<(string, string)>();
        string? next = null;
        do
        {
            var page = ns is null
                ? await client.CustomObjects.ListCustomObjectForAllNamespacesAsync<ManagedObjectList>(group, version, plural, labelSelector: ManagedObjects.LabelSelector, continueParameter: next, cancellationToken: cancellationToken)
                : await client.CustomObjects.ListNamespacedCustomObjectAsync<ManagedObjectList>(group, version, ns, plural, labelSelector: ManagedObjects.LabelSelector, continueParameter: next, cancellationToken: cancellationToken);
            foreach (var item in page.Items)
            {
                // The selector already filters; checking again protects user objects from a server that ignored it.
                if (ManagedObjects.IsManaged(item.Metadata))
                {
                    result.Add((item.Metadata.NamespaceProperty, item.Metadata.Name));
                }
            }

            next = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(next));

        result.Sort();
        return result;
    }
}
