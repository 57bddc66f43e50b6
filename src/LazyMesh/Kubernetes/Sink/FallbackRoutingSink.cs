using k8s;
using LazyMesh.Cli;
using LazyMesh.Istio;
using LazyMesh.Mesh;
using LazyMesh.Routing;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>
/// The fallback routing objects on a cluster: the fallback's Service and one EnvoyFilter per namespace that has a lazy
/// workload with an applied Sidecar. Runs after a full reconcile of the Sidecars (so a namespace's Sidecars, which
/// import the fallback host, are applied before its EnvoyFilter), and deletes LazyMesh's EnvoyFilters in namespaces
/// left without lazy workloads before <see cref="LazySidecarSink.CleanupAsync"/> deletes their Sidecars. Every write
/// goes through <see cref="KubeWriter"/> (budget, retries, unchanged never sent).
/// </summary>
public sealed partial class FallbackRoutingSink
{
    public const string EnvoyFilterVersion = "v1alpha3";

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
    /// Namespaces that get the EnvoyFilter (a workload whose Sidecar is applied: outcome Applied or Unchanged; never
    /// the fallback's own), and namespaces whose state is unknown (a workload's reconcile failed: no outcome), where an
    /// existing EnvoyFilter is left alone.
    /// </summary>
    public (SortedSet<string> Routed, HashSet<string> Unknown) Classify(IEnumerable<Workload> workloads, IReadOnlyDictionary<string, WorkloadOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        ArgumentNullException.ThrowIfNull(outcomes);
        var routed = new SortedSet<string>(StringComparer.Ordinal);
        var unknown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var workload in workloads)
        {
            if (!outcomes.TryGetValue(workload.Key, out var outcome))
            {
                unknown.Add(workload.Namespace);
            }
            else if (outcome is WorkloadOutcome.Applied or WorkloadOutcome.Unchanged && workload.Namespace != Options.Namespace)
            {
                routed.Add(workload.Namespace);
            }
        }

        return (routed, unknown);
    }

    /// <summary>
    /// After a full reconcile of <paramref name="workloads"/> with these outcomes (a failed workload has none): applies
    /// the Service and the EnvoyFilters, then deletes LazyMesh's EnvoyFilters in namespaces without an applied lazy Sidecar.
    /// </summary>
    public async Task ReconcileAsync(MeshIndex index, IEnumerable<Workload> workloads, IReadOnlyDictionary<string, WorkloadOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        var (routed, unknown) = Classify(workloads, outcomes);
        var service = FallbackServiceRenderer.Render(index, Options);
        if (await _writer.ApplyServiceAsync(service, cancellationToken).ConfigureAwait(false) is not null)
        {
            LogApplied(_logger, "Service", $"{service.Metadata.NamespaceProperty}/{service.Metadata.Name}");
        }

        foreach (var ns in routed)
        {
            var filter = FallbackEnvoyFilterRenderer.Render(ns, Options);
            if (await _writer.ApplyAsync<EnvoyFilterResource>(
                SidecarResource.Group, EnvoyFilterVersion, EnvoyFilterResource.Plural, ns, filter.Metadata.Name, filter, cancellationToken).ConfigureAwait(false) is not null)
            {
                LogApplied(_logger, EnvoyFilterResource.ResourceKind, $"{ns}/{filter.Metadata.Name}");
            }
        }

        foreach (var ns in await ManagedFilterNamespacesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!routed.Contains(ns) && !unknown.Contains(ns))
            {
                await DeleteAsync(ns, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Deletes LazyMesh's EnvoyFilter in <paramref name="namespace"/>, if there is one (a read first: no write when absent).</summary>
    public async Task<bool> RemoveAsync(string @namespace, CancellationToken cancellationToken)
    {
        var existing = await _writer.GetAsync<EnvoyFilterResource>(
            SidecarResource.Group, EnvoyFilterVersion, EnvoyFilterResource.Plural, @namespace, FallbackEnvoyFilterRenderer.DefaultName, cancellationToken).ConfigureAwait(false);
        return ManagedObjects.IsManaged(existing?.Metadata) && await DeleteAsync(@namespace, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> DeleteAsync(string ns, CancellationToken cancellationToken)
    {
        var deleted = await _writer.DeleteAsync(
            SidecarResource.Group, EnvoyFilterVersion, EnvoyFilterResource.Plural, ns, FallbackEnvoyFilterRenderer.DefaultName, cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            LogDeleted(_logger, $"{ns}/{FallbackEnvoyFilterRenderer.DefaultName}");
        }

        return deleted;
    }

    /// <summary>Namespaces holding a LazyMesh-managed EnvoyFilter named <see cref="FallbackEnvoyFilterRenderer.DefaultName"/>.</summary>
    private async Task<SortedSet<string>> ManagedFilterNamespacesAsync(CancellationToken cancellationToken)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
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
                if (ManagedObjects.IsManaged(item.Metadata) && item.Metadata.Name == FallbackEnvoyFilterRenderer.DefaultName)
                {
                    result.Add(item.Metadata.NamespaceProperty);
                }
            }

            next = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(next));

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "applied fallback routing {Kind} {Object}")]
    private static partial void LogApplied(ILogger logger, string kind, string @object);

    [LoggerMessage(Level = LogLevel.Information, Message = "deleted fallback EnvoyFilter {Object}: its namespace has no applied lazy Sidecar")]
    private static partial void LogDeleted(ILogger logger, string @object);
}
