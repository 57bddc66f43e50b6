namespace LazyMesh.Mesh;

/// <summary>
/// Istio's <c>exportTo</c> visibility (istio/istio <c>pkg/config/visibility</c>; push_context.go
/// <c>initVirtualServices</c>, <c>servicesExportedToNamespace</c>): <c>*</c> everywhere, <c>.</c> the object's own
/// namespace, <c>~</c> nowhere, else the listed namespaces; an empty list means the mesh default.
/// </summary>
public static class ExportTo
{
    public static bool IsVisible(IReadOnlyList<string> exportTo, IReadOnlyList<string> meshDefault, string objectNamespace, string toNamespace)
    {
        var list = exportTo.Count > 0 ? exportTo : meshDefault;
        if (list.Count == 0)
        {
            return true;
        }

        if (list.Contains("~", StringComparer.Ordinal))
        {
            return false;
        }

        foreach (var entry in list)
        {
            if (entry == "*" || entry == toNamespace || (entry == "." && objectNamespace == toNamespace))
            {
                return true;
            }
        }

        return false;
    }
}
