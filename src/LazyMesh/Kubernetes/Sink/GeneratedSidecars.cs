using System.Collections.Concurrent;
using k8s;
using LazyMesh.Istio;
using LazyMesh.Kubernetes.Informers;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>
/// The generated Sidecars in the API: server-side apply, deletion of LazyMesh's own, and the Sidecar informer's filter
/// that tells an edit by someone else from the echo of this replica's own apply (same spec).
/// </summary>
public sealed class GeneratedSidecars
{
    public const string Version = "v1";

    private readonly KubeWriter _writer;
    private readonly ConcurrentDictionary<string, string> _appliedSpecs = new(StringComparer.Ordinal);

    public GeneratedSidecars(KubeWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
    }

    /// <summary>Applies the Sidecar; returns it as the server has it, or null when nothing was sent (unchanged).</summary>
    public async Task<SidecarResource?> ApplyAsync(SidecarResource sidecar, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sidecar);
        var (ns, name) = (sidecar.Metadata.NamespaceProperty, sidecar.Metadata.Name);
        // Recorded before the apply: its echo can reach the informer before the apply call returns.
        _appliedSpecs[$"{ns}/{name}"] = KubernetesJson.Serialize(sidecar.Spec);
        var result = await _writer.ApplyAsync<SidecarResource>(SidecarResource.Group, Version, SidecarResource.Plural, ns, name, sidecar, cancellationToken).ConfigureAwait(false);
        return result.Sent ? result.Object : null;
    }

    /// <summary>Deletes LazyMesh's generated Sidecar of that name, if there is one and it is LazyMesh's.</summary>
    public async Task DeleteAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var existing = await _writer.GetAsync<SidecarResource>(SidecarResource.Group, Version, SidecarResource.Plural, ns, name, cancellationToken).ConfigureAwait(false);
        if (ManagedObjects.IsManaged(existing?.Metadata))
        {
            await _writer.DeleteAsync(SidecarResource.Group, Version, SidecarResource.Plural, ns, name, cancellationToken).ConfigureAwait(false);
        }

        Forget(ns, name);
    }

    /// <summary>Forgets what was last applied (the next apply is sent even when unchanged).</summary>
    public void Forget(string ns, string name)
    {
        _appliedSpecs.TryRemove($"{ns}/{name}", out _);
        _writer.Invalidate(SidecarResource.Plural, ns, name);
    }

    /// <summary>
    /// Sidecar informer: true when a generated Sidecar was edited or deleted by someone else, so that its workload must
    /// be reconciled (and the cached apply forgotten). The echo of this replica's own apply (same spec) is not: it
    /// causes no second, identical apply.
    /// </summary>
    public bool OnSidecarChanged(InformerChangeType type, SidecarResource current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (!ManagedObjects.IsManaged(current.Metadata))
        {
            return false;
        }

        var (ns, name) = (current.Metadata.NamespaceProperty, current.Metadata.Name);
        if (type != InformerChangeType.Deleted
            && _appliedSpecs.TryGetValue($"{ns}/{name}", out var applied)
            && applied == KubernetesJson.Serialize(current.Spec))
        {
            return false;
        }

        Forget(ns, name);
        return true;
    }
}
