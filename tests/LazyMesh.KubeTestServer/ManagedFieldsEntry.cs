namespace LazyMesh.KubeTesting;

/// <summary>One managedFields entry: the fields a manager owns through one operation and subresource.</summary>
internal sealed class ManagedFieldsEntry(string manager, string operation, string subresource, string apiVersion, string time)
{
    public string Manager { get; } = manager;

    public string Operation { get; } = operation;

    public string Subresource { get; } = subresource;

    public string ApiVersion { get; set; } = apiVersion;

    public string Time { get; set; } = time;

    public HashSet<string> Fields { get; } = new(StringComparer.Ordinal);
}
