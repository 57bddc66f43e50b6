namespace LazyMesh.Als;

/// <summary>An ALS message is not valid protobuf, or not the schema LazyMesh expects. The only exception the decoder throws for bad input.</summary>
public sealed class AlsDecodeException : Exception
{
    public AlsDecodeException(AlsDecodeError kind, int offset, string message)
        : base(offset >= 0 ? $"{message} (at byte {offset})" : message)
    {
        Kind = kind;
        Offset = offset;
    }

    public AlsDecodeError Kind { get; }

    /// <summary>Byte offset in the message where the problem starts; -1 if not known.</summary>
    public int Offset { get; }
}
