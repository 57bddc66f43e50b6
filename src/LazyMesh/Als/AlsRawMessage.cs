using System.Buffers;

namespace LazyMesh.Als;

/// <summary>
/// One ALS request message as raw protobuf bytes, copied out of the transport into a pooled buffer so the
/// server can decode it without Google.Protobuf's per-entry allocations. Dispose returns the buffer.
/// </summary>
public sealed class AlsRawMessage : IDisposable
{
    private byte[]? _buffer;
    private readonly bool _pooled;

    private AlsRawMessage(byte[] buffer, int length, bool pooled)
    {
        _buffer = buffer;
        Length = length;
        _pooled = pooled;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_buffer is null, this);
            return _buffer.AsSpan(0, Length);
        }
    }

    /// <summary>Copies a received payload into a buffer rented from the shared pool.</summary>
    public static AlsRawMessage Rent(ReadOnlySequence<byte> payload)
    {
        var length = checked((int)payload.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        payload.CopyTo(buffer);
        return new AlsRawMessage(buffer, length, pooled: true);
    }

    /// <summary>Wraps bytes to send as they are (e.g. deliberately malformed messages in tests).</summary>
    public static AlsRawMessage FromBytes(ReadOnlySpan<byte> bytes) => new(bytes.ToArray(), bytes.Length, pooled: false);

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = null;
        if (buffer is not null && _pooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
