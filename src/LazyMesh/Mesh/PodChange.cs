using k8s.Models;

namespace LazyMesh.Mesh;

/// <summary>A pod's new state by <c>namespace/name</c>; <see cref="Pod"/> null when it was deleted.</summary>
public readonly record struct PodChange(string Key, V1Pod? Pod);
