namespace LazyMesh.Sinks;

/// <summary>What a sink did with an object.</summary>
public enum WriteResult
{
    /// <summary>The object was created or replaced.</summary>
    Written,

    /// <summary>The stored object was already byte-identical; nothing was touched.</summary>
    Unchanged,
}
