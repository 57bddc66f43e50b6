namespace LazyMesh.KubeTesting;

/// <summary>Storage key of an object: group, plural, namespace (empty for cluster-scoped) and name.</summary>
internal readonly record struct ObjectKey(string Group, string Plural, string Namespace, string Name);
