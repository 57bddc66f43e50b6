namespace LazyMesh.KubeTesting;

/// <summary>What a request is, for fault predicates and statistics.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path.</param>
/// <param name="Verb">Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection.</param>
/// <param name="Group">API group ("" for core).</param>
/// <param name="Resource">Plural resource name.</param>
/// <param name="Subresource">Subresource such as "status", or "".</param>
/// <param name="Namespace">Namespace, or null.</param>
/// <param name="Name">Object name, or null for collections.</param>
public sealed record KubeRequestInfo(string Method, string Path, string Verb, string Group, string Resource, string Subresource, string? Namespace, string? Name)
{
    /// <summary>Whether the verb changes state.</summary>
    public bool IsWrite => Verb is "create" or "update" or "patch" or "delete" or "deletecollection";

    /// <summary>Resource with subresource, e.g. "pods" or "lazysidecars/status".</summary>
    public string ResourceWithSubresource => Subresource.Length == 0 ? Resource : Resource + "/" + Subresource;
}
