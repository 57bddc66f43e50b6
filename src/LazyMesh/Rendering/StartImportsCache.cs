using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using LazyMesh.Mesh;

namespace LazyMesh.Rendering;

/// <summary>
/// <see cref="ScopeImports.FromStart"/> remembered per services list and caller namespace. It reads every service of
/// the mesh, and every workload of a namespace gets the same answer: rendering each workload afresh cost
/// O(workloads × services) per pass (2,000 workloads on 1,000 services spent a third of files-mode start-up there).
/// An index made from the previous one by pod changes keeps its services list when no service changed, so the answers
/// carry over; any other input of <see cref="ScopeImports.FromStart"/> that differs (mesh config, cluster domain)
/// is checked on every hit and computes afresh.
/// </summary>
public static class StartImportsCache
{
    private static readonly ConditionalWeakTable<IReadOnlyList<MeshService>, Entry> ByServices = new();

    /// <summary>The same hosts as <see cref="ScopeImports.FromStart"/>, in the same order.</summary>
    public static IReadOnlyList<string> Get(MeshIndex index, string callerNamespace, string? fallbackNamespace, bool registryOnly)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(callerNamespace);
        var entry = ByServices.GetValue(index.Services, static _ => new Entry());
        if (!entry.Matches(index))
        {
            return [.. ScopeImports.FromStart(index, callerNamespace, fallbackNamespace, registryOnly)];
        }

        return entry.Hosts.GetOrAdd(
            (callerNamespace, fallbackNamespace, registryOnly),
            static (key, index) => [.. ScopeImports.FromStart(index, key.Namespace, key.Fallback, key.RegistryOnly)],
            index);
    }

    private sealed class Entry
    {
        private Inputs? _inputs;

        public ConcurrentDictionary<(string Namespace, string? Fallback, bool RegistryOnly), string[]> Hosts { get; } = new();

        /// <summary>Whether the answers here hold for <paramref name="index"/>: same mesh config export default and cluster domain as the first index that asked.</summary>
        public bool Matches(MeshIndex index)
        {
            var asked = new Inputs(index.MeshConfig.DefaultServiceExportTo, index.Options.ClusterDomain);
            var first = Interlocked.CompareExchange(ref _inputs, asked, null) ?? asked;
            return string.Equals(first.ClusterDomain, asked.ClusterDomain, StringComparison.Ordinal)
                && first.ExportTo.SequenceEqual(asked.ExportTo, StringComparer.Ordinal);
        }
    }

    private sealed record Inputs(IReadOnlyList<string> ExportTo, string ClusterDomain);
}
