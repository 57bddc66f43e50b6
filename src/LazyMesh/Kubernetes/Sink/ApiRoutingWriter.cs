using k8s;
using k8s.Models;
using LazyMesh.Istio;
using LazyMesh.Routing;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>
/// The fallback routing objects in the API server, every call through <see cref="KubeWriter"/> (write budget,
/// retries, unchanged content never sent).
/// </summary>
public sealed class ApiRoutingWriter : IRoutingObjectWriter
{
    public const string EnvoyFilterVersion = "v1alpha3";
    public const string DestinationRuleVersion = "v1";
    public const string DestinationRulePlural = "destinationrules";

    private readonly KubeWriter _writer;

    public ApiRoutingWriter(KubeWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
    }

    public async Task<bool> ApplyAsync(IKubernetesObject<V1ObjectMeta> resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var (ns, name) = (resource.Metadata.NamespaceProperty, resource.Metadata.Name);
        return resource switch
        {
            V1Service service => (await _writer.ApplyServiceAsync(service, cancellationToken).ConfigureAwait(false)).Sent,
            EnvoyFilterResource filter => (await _writer.ApplyAsync<EnvoyFilterResource>(
                SidecarResource.Group, EnvoyFilterVersion, EnvoyFilterResource.Plural, ns, name, filter, cancellationToken).ConfigureAwait(false)).Sent,
            IstioJsonResource rule when rule.Kind == FallbackDestinationRuleRenderer.Kind => (await _writer.ApplyAsync<IstioJsonResource>(
                SidecarResource.Group, DestinationRuleVersion, DestinationRulePlural, ns, name, rule, cancellationToken).ConfigureAwait(false)).Sent,
            _ => throw new ArgumentException($"not a fallback routing object: {resource.Kind} {ns}/{name}", nameof(resource)),
        };
    }

    public async Task<IReadOnlyCollection<(string Namespace, string Name)>> ListEnvoyFiltersAsync(CancellationToken cancellationToken)
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

    /// <summary>A read first: no write when there is none, and a user's EnvoyFilter of that name is never deleted.</summary>
    public async Task<bool> DeleteEnvoyFilterAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var existing = await _writer.GetAsync<EnvoyFilterResource>(
            SidecarResource.Group, EnvoyFilterVersion, EnvoyFilterResource.Plural, @namespace, name, cancellationToken).ConfigureAwait(false);
        return ManagedObjects.IsManaged(existing?.Metadata)
            && await _writer.DeleteAsync(SidecarResource.Group, EnvoyFilterVersion, EnvoyFilterResource.Plural, @namespace, name, cancellationToken).ConfigureAwait(false);
    }
}
