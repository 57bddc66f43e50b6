using k8s;
using LazyMesh.Cli;
using LazyMesh.Istio;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Routing;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>
/// The fallback routing objects on a cluster: the fallback's Service and DestinationRule, and one EnvoyFilter per lazy
/// workload with an applied Sidecar (same name and selector as its Sidecar). Runs after a full reconcile of the Sidecars (so a namespace's Sidecars, which
/// import the fallback host, are applied before its EnvoyFilter), and deletes LazyMesh's EnvoyFilters of workloads
/// left without a lazy Sidecar before <see cref="LazySidecarSink.CleanupAsync"/> deletes their Sidecars. Every write
/// goes through <see cref="KubeWriter"/> (budget, retries, unchanged never sent).
/// </summary>
public sealed partial class FallbackRoutingSink
{
    public const string EnvoyFilterVersion = "v1alpha3";
    public const string DestinationRuleVersion = "v1";
    public const string DestinationRulePlural = "destinationrules";

    private readonly KubeWriter _writer;
    private readonly ILogger _logger;

    public FallbackRoutingSink(KubeWriter writer, FallbackRoutingOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        _writer = writer;
        Options = options;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    public FallbackRoutingOptions Options { get; }

    /// <summary>
    /// The EnvoyFilters that should exist (one per workload whose Sidecar is applied: outcome Applied or Unchanged;
    /// never in the fallback's namespace or Istio's root namespace), and namespaces whose state is unknown (a
    /// workload's reconcile failed: no outcome), where existing EnvoyFilters are left alone.
    /// </summary>
    public (List<EnvoyFilterResource> Routed, HashSet<string> Unknown) Classify(MeshIndex index, IEnumerable<Workload> workloads, IReadOnlyDictionary<string, WorkloadOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(workloads);
        ArgumentNullException.ThrowIfNull(outcomes);
        var routed = new List<EnvoyFilterResource>();
        var unknown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var workload in workloads)
        {
            if (!outcomes.TryGetValue(workload.Key, out var outcome))
            {
                unknown.Add(workload.Namespace);
            }
            else if (outcome is WorkloadOutcome.Applied or WorkloadOutcome.Unchanged && FallbackRoutingObjects.IsRoutable(workload.Namespace, index, Options))
            {
                routed.Add(FallbackEnvoyFilterRenderer.Render(
                    workload.Namespace, SidecarNames.For(workload), workload.SelectorLabels.ToDictionary(StringComparer.Ordinal), Options, index.MeshConfig.RootNamespace));
            }
        }

        return (routed, unknown);
    }

    /// <summary>
    /// After a full reconcile of <paramref name="workloads"/> with these outcomes (a failed workload has none): applies
    /// the Service, the DestinationRule and the EnvoyFilters, then deletes LazyMesh's EnvoyFilters that no applied lazy
    /// Sidecar needs any more.
    /// </summary>
    public async Task ReconcileAsync(MeshIndex index, IEnumerable<Workload> workloads, IReadOnlyDictionary<string, WorkloadOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        var (routed, unknown) = Classify(index, workloads, outcomes);
        var service = FallbackServiceRenderer.Render(index, Options);
        if (await _writer.ApplyServiceAsync(service, cancellationToken).ConfigureAwait(false) is not null)
        {
            LogApplied(_logger, "Service", $"{service.Metadata.NamespaceProperty}/{service.Metadata.Name}");
        }

        var rule = FallbackDestinationRuleRenderer.Render(Options);
        if (await _writer.ApplyAsync<IstioJsonResource>(
            SidecarResource.Group, DestinationRuleVersion, DestinationRulePlural, rule.Metadata.NamespaceProperty, rule.Metadata.Name, rule, cancellationToken).ConfigureAwait(false) is not null)
        {
            LogApplied(_logger, FallbackDestinationRuleRenderer.Kind, $"{rule.Metadata.NamespaceProperty}/{rule.Metadata.Name}");
        }

        var expected = new HashSet<(string, string)>();
        foreach (var filter in routed)
        {
            var ns = filter.Metadata.NamespaceProperty;
            expected.Add((ns, filter.Metadata.Name));
            if (await _writer.ApplyAsync<EnvoyFilterResource>(
                SidecarResource.Group, EnvoyFilterVersion, EnvoyFilterResource.Plural, ns, filter.Metadata.Name, filter, cancellationToken).ConfigureAwait(false) is not null)
            {
                LogApplied(_logger, EnvoyFilterResource.ResourceKind, $"{ns}/{filter.Metadata.Name}");
            }
        }

        foreach (var (ns, name) in await ManagedFiltersAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!expected.Contains((ns, name)) && !unknown.Contains(ns))
            {
                await DeleteAsync(ns, name, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Deletes LazyMesh's EnvoyFilter <paramref name="namespace"/>/<paramref name="name"/>, if there is one (a read first: no write when absent).</summary>
    public async Task<bool> RemoveAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var existing = await _writer.GetAsync<EnvoyFilterResource>(
            SidecarResource.Group, EnvoyFilterVersion, EnvoyFilterResource.Plural, @namespace, name, cancellationToken).ConfigureAwait(false);
        return ManagedObjects.IsManaged(existing?.Metadata) && await DeleteAsync(@namespace, name, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> DeleteAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var deleted = await _writer.DeleteAsync(
            SidecarResource.Group, EnvoyFilterVersion, EnvoyFilterResource.Plural, ns, name, cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            LogDeleted(_logger, $"{ns}/{name}");
        }

        return deleted;
    }

    /// <summary>Every LazyMesh-managed EnvoyFilter (namespace, name).</summary>
    private async Task<SortedSet<(string, string)>> ManagedFiltersAsync(CancellationToken cancellationToken)
    {
        var result = new SortedSet<(string, string)>();
        string? next = null;
        do
        {
            var page = await _writer.ExecuteAsync(
                "list envoyfilters",
                write: false,
                retryConflicts: false,
                ct => _writer.Client.CustomObjects.ListCustomObjectForAllNamespacesAsync<ManagedObjectList>(
                    SidecarResource.Group, EnvoyFilterVersion, EnvoyFilterResource.Plural, labelSelector: ManagedObjects.LabelSelector, continueParameter: next, cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                if (ManagedObjects.IsManaged(item.Metadata))
                {
                    result.Add((item.Metadata.NamespaceProperty, item.Metadata.Name));
                }
            }

            next = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(next));

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "applied fallback routing {Kind} {Object}")]
    private static partial void LogApplied(ILogger logger, string kind, string @object);

    [LoggerMessage(Level = LogLevel.Information, Message = "deleted fallback EnvoyFilter {Object}: its workload has no applied lazy Sidecar")]
    private static partial void LogDeleted(ILogger logger, string @object);
}
