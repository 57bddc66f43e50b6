namespace LazyMesh.Kubernetes.Informers;

public enum InformerChangeType
{
    Added,
    Updated,
    Deleted,
}
