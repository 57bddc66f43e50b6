using LazyMesh.Istio;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Routing;

/// <summary>
/// The one place of the ordering rule for the fallback routing objects, in both modes: they are written after the
/// Sidecars they depend on (an EnvoyFilter only for a workload whose generated Sidecar is in place, outcome Applied or
/// Unchanged; the Sidecar imports the fallback host), and removed before them (<see cref="RemoveBeforeSidecarAsync"/>,
/// called by whatever deletes a generated Sidecar). Where the objects go is an <see cref="IRoutingObjectWriter"/>.
/// </summary>
public sealed partial class FallbackRoutingReconciler
{
    private readonly IRoutingObjectWriter _writer;
    private readonly ILogger _logger;

    public FallbackRoutingReconciler(IRoutingObjectWriter writer, FallbackRoutingOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        _writer = writer;
        Options = options;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    public FallbackRoutingOptions Options { get; }

    /// <summary>
    /// The EnvoyFilters that should exist (one per workload whose Sidecar is in place; never in the fallback's
    /// namespace or Istio's root namespace), and namespaces whose state is unknown (a workload there has no outcome:
    /// its reconcile failed or has not run), where existing EnvoyFilters are left alone.
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
            else if (WorkloadOutcomes.IsRouted(outcome) && FallbackRoutingObjects.IsRoutable(workload.Namespace, index, Options))
            {
                routed.Add(FallbackEnvoyFilterRenderer.Render(
                    workload.Namespace, SidecarNames.For(workload), workload.SelectorLabels.ToDictionary(StringComparer.Ordinal), Options, index.MeshConfig.RootNamespace));
            }
        }

        return (routed, unknown);
    }

    /// <summary>
    /// After the workloads' Sidecars were reconciled with these outcomes: writes the fallback's Service and
    /// DestinationRule and the EnvoyFilters, then deletes LazyMesh's EnvoyFilters that no Sidecar in place needs any more.
    /// </summary>
    public async Task ReconcileAsync(MeshIndex index, IReadOnlyDictionary<string, WorkloadOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        var (routed, unknown) = Classify(index, index.Workloads, outcomes);
        var expected = new HashSet<(string, string)>();
        foreach (var resource in FallbackRoutingObjects.Shared(index, Options).Concat(routed))
        {
            if (resource is EnvoyFilterResource)
            {
                expected.Add((resource.Metadata.NamespaceProperty, resource.Metadata.Name));
            }

            if (await _writer.ApplyAsync(resource, cancellationToken).ConfigureAwait(false))
            {
                LogApplied(_logger, resource.Kind, $"{resource.Metadata.NamespaceProperty}/{resource.Metadata.Name}");
            }
        }

        foreach (var (ns, name) in await _writer.ListEnvoyFiltersAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!expected.Contains((ns, name)) && !unknown.Contains(ns) && KubernetesNames.IsDns1123Label(ns)
                && await _writer.DeleteEnvoyFilterAsync(ns, name, cancellationToken).ConfigureAwait(false))
            {
                LogRemoved(_logger, $"{ns}/{name}", "its workload has no generated Sidecar in place");
            }
        }
    }

    /// <summary>Removes the EnvoyFilter of the generated Sidecar <paramref name="namespace"/>/<paramref name="name"/>: call before deleting that Sidecar.</summary>
    public async Task<bool> RemoveBeforeSidecarAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        if (!KubernetesNames.IsDns1123Label(@namespace) || !await _writer.DeleteEnvoyFilterAsync(@namespace, name, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        LogRemoved(_logger, $"{@namespace}/{name}", "its Sidecar is removed next");
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "applied fallback routing {Kind} {Object}")]
    private static partial void LogApplied(ILogger logger, string kind, string @object);

    [LoggerMessage(Level = LogLevel.Information, Message = "removed EnvoyFilter {Object}: {Reason}")]
    private static partial void LogRemoved(ILogger logger, string @object, string reason);
}
