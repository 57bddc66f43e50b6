namespace LazyMesh.Sinks;

/// <summary>What a sink did with an object.</summary>
public enum WriteResult
{
    /// <summary>The object was created or replaced.</summary>
    Written,

    /// <summary>The stored object was already byte-identical; nothing was touched.</summary>
    Unchanged,

    /// <summary>
    /// A file LazyMesh does not manage holds the object's path (no <c>app.kubernetes.io/managed-by: lazymesh</c>
    /// label, or another object): it was left as it is and the object not written.
    /// </summary>
    NotOurs,
}
