using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;

namespace LazyMesh.Kubernetes.Informers;

/// <summary>
/// An <see cref="IResourceClient{T}"/> that reads LIST pages and watch events into a slim wire model
/// <typeparamref name="TWire"/> (only the fields the cache keeps; the JSON reader skips the rest without building it)
/// and converts each object to the <typeparamref name="T"/> the cache holds. The requests go through KubernetesClient's
/// generic object path (<c>CustomObjects</c>, which reaches core resources with the empty group), so its HTTP client,
/// credentials and handlers are the ones used.
/// </summary>
public sealed class SlimResourceClient<TWire, T>(IKubernetes client, string group, string version, string plural, Func<TWire, T> convert)
    : IResourceClient<T>
{
    private readonly CustomResourceClient<TWire> _inner = new(client, group, version, plural);

    public string Resource => plural;

    public async Task<ResourceListPage<T>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken)
    {
        ResourceListPage<TWire> page;
        try
        {
            page = await _inner.ListAsync(continueToken, limit, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            // The message carries the reader's (path, line, byte): the informer logs the innermost message and retries.
            throw new InvalidDataException($"LIST {plural}: the API server's page is not a valid {plural} list: {e.Message}");
        }

        var items = new T[page.Items.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = convert(page.Items[i]);
            page.Items[i] = default!;
        }

        return new ResourceListPage<T>(items, page.ResourceVersion, page.Continue);
    }

    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (type, wire) in _inner.WatchAsync(resourceVersion, timeoutSeconds, onError, cancellationToken).ConfigureAwait(false))
        {
            yield return (type, convert(wire));
        }
    }
}
