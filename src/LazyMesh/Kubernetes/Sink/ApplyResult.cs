namespace LazyMesh.Kubernetes.Sink;

/// <summary>
/// What <see cref="KubeWriter"/>'s apply did: <see cref="Sent"/> when the apply went to the server; <see cref="Object"/>
/// the object as the server has it when known (the apply's answer, or the live object read to find the apply would
/// change nothing), null when the writer skipped the apply from memory alone.
/// </summary>
public readonly record struct ApplyResult<T>(T? Object, bool Sent)
    where T : class;
