using k8s.Models;

namespace LazyMesh.Mesh;

/// <summary>What <see cref="MeshIndexUpdater"/> keeps of a workload between updates.</summary>
internal sealed class WorkloadPart(string key, string @namespace, WorkloadOwner owner, IReadOnlyDictionary<string, string> chosenSelector, bool updatableByParts)
{
    public string Key { get; } = key;

    public string Namespace { get; } = @namespace;

    public WorkloadOwner Owner { get; } = owner;

    /// <summary>The selector before narrowing (what other workloads' pods are matched against).</summary>
    public IReadOnlyDictionary<string, string> ChosenSelector { get; } = chosenSelector;

    /// <summary>
    /// Its selector reads the owner only and matched no other workload's pods: a change to its pods changes its pod
    /// list, nothing else about it.
    /// </summary>
    public bool UpdatableByParts { get; } = updatableByParts;

    /// <summary>Its pods' objects, ordered by name (as the index orders them).</summary>
    public List<V1Pod> Pods { get; } = [];

    public Workload Current { get; set; } = null!;

    /// <summary>Its position in <see cref="MeshIndex.Workloads"/>.</summary>
    public int Position { get; set; }
}
