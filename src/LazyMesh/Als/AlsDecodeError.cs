namespace LazyMesh.Als;

/// <summary>Why an ALS message could not be decoded.</summary>
public enum AlsDecodeError
{
    /// <summary>A varint, fixed-size value or group ends past the end of its message.</summary>
    Truncated,

    /// <summary>A varint longer than 10 bytes.</summary>
    MalformedVarint,

    /// <summary>Field number 0, a tag beyond 32 bits, or wire type 6 or 7.</summary>
    InvalidTag,

    /// <summary>A field LazyMesh reads arrived with another wire type than its schema's.</summary>
    WrongWireType,

    /// <summary>A length prefix runs past the end of the enclosing message.</summary>
    LengthOutOfRange,

    /// <summary>A string LazyMesh reads is not valid UTF-8.</summary>
    InvalidUtf8,

    /// <summary>An end-group tag without its start, with another field number, or groups nested too deep.</summary>
    InvalidGroup,
}
