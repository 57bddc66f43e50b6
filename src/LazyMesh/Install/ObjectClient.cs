using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using LazyMesh.Kubernetes.Sink;

namespace LazyMesh.Install;

/// <summary>
/// Untyped reads and writes of any resource the installer handles, through KubernetesClient's custom-object
/// calls (they map the core group to <c>/api/v1</c>) and <see cref="KubeWriter"/>'s budget and retries.
/// </summary>
public sealed class ObjectClient(KubeWriter writer)
{
    private IKubernetes Client => writer.Client;

    /// <summary>The object, or null when it (or its resource) does not exist.</summary>
    public async Task<JsonObject?> GetAsync(ApiResource r, string? ns, string name, CancellationToken ct)
    {
        try
        {
            return await writer.ExecuteAsync($"get {r.Plural} {ns}/{name}", write: false, retryConflicts: false, c => r.Namespaced
                ? Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(r.Group, r.Version, ns!, r.Plural, name, c)
                : Client.CustomObjects.GetClusterCustomObjectAsync<JsonObject>(r.Group, r.Version, r.Plural, name, c), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (KubeErrors.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>Every object of <paramref name="r"/> in <paramref name="ns"/>; null when the resource is not served (e.g. Istio not installed).</summary>
    public async Task<IReadOnlyList<JsonObject>?> ListAsync(ApiResource r, string ns, string? labelSelector, CancellationToken ct)
    {
        try
        {
            var list = await writer.ExecuteAsync($"list {r.Plural} {ns}", write: false, retryConflicts: false,
                c => Client.CustomObjects.ListNamespacedCustomObjectAsync<JsonObject>(r.Group, r.Version, ns, r.Plural, labelSelector: labelSelector, cancellationToken: c), ct).ConfigureAwait(false);
            return [.. (list["items"] as JsonArray ?? []).OfType<JsonObject>()];
        }
        catch (Exception e) when (KubeErrors.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>Server-side apply of <paramref name="body"/> (field manager <paramref name="manager"/>); <paramref name="dryRun"/> changes nothing.</summary>
    public Task<JsonObject> ApplyAsync(JsonObject body, string manager, bool force, bool dryRun, CancellationToken ct)
    {
        var r = ApiResource.Of(body);
        var ns = (string?)body["metadata"]?["namespace"];
        var name = (string?)body["metadata"]?["name"] ?? throw new ArgumentException("metadata.name is missing", nameof(body));
        var patch = new V1Patch(body.ToJsonString(), V1Patch.PatchType.ApplyPatch);
        var dry = dryRun ? "All" : null;
        return writer.ExecuteAsync($"apply {r.Plural} {ns}/{name}", write: true, retryConflicts: false, c => r.Namespaced
            ? Client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonObject>(patch, r.Group, r.Version, ns!, r.Plural, name, dryRun: dry, fieldManager: manager, force: force, cancellationToken: c)
            : Client.CustomObjects.PatchClusterCustomObjectAsync<JsonObject>(patch, r.Group, r.Version, r.Plural, name, dryRun: dry, fieldManager: manager, force: force, cancellationToken: c), ct);
    }

    /// <summary>A JSON merge patch (an Update by <paramref name="manager"/>).</summary>
    public Task<JsonObject> MergePatchAsync(ApiResource r, string ns, string name, JsonObject patch, string manager, CancellationToken ct) =>
        writer.ExecuteAsync($"patch {r.Plural} {ns}/{name}", write: true, retryConflicts: false,
            c => Client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonObject>(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), r.Group, r.Version, ns, r.Plural, name, fieldManager: manager, cancellationToken: c), ct);

    /// <summary>DELETE with background propagation; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(ApiResource r, string? ns, string name, CancellationToken ct)
    {
        try
        {
            await writer.ExecuteAsync($"delete {r.Plural} {ns}/{name}", write: true, retryConflicts: true, async c =>
            {
                using var response = r.Namespaced
                    ? await Client.CustomObjects.DeleteNamespacedCustomObjectWithHttpMessagesAsync(r.Group, r.Version, ns!, r.Plural, name, propagationPolicy: "Background", cancellationToken: c).ConfigureAwait(false)
                    : await Client.CustomObjects.DeleteClusterCustomObjectWithHttpMessagesAsync(r.Group, r.Version, r.Plural, name, propagationPolicy: "Background", cancellationToken: c).ConfigureAwait(false);
                return true;
            }, ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (KubeErrors.IsNotFound(e))
        {
            return false;
        }
    }

    /// <summary>Whether the failure is the API server refusing the request for want of permission.</summary>
    public static bool IsForbidden(Exception e) => e is HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.Forbidden };
}
