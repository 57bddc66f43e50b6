namespace LazyMesh.KubeTesting;

/// <summary>A committed change: ADDED, MODIFIED or DELETED, with the revision before (if any) and after.</summary>
internal sealed record HistoryEvent(long ResourceVersion, string Type, StoredObject? Old, StoredObject New)
{
    public KubeResourceType Resource => New.Type;
}
