namespace LazyMesh.Mesh;

/// <summary>Kubernetes timestamps (deserialized as <see cref="DateTime"/>, UTC unless marked local) as offsets.</summary>
internal static class KubernetesTimestamps
{
    public static DateTimeOffset? ToOffset(DateTime? time) => time switch
    {
        null => null,
        { Kind: DateTimeKind.Local } t => new DateTimeOffset(t.ToUniversalTime()),
        var t => new DateTimeOffset(DateTime.SpecifyKind(t.Value, DateTimeKind.Utc)),
    };
}
