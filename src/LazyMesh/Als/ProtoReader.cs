using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace LazyMesh.Als;

/// <summary>
/// A forward-only protobuf reader over a span: validates every length and wire type, skips unknown
/// fields of every wire type (groups included) and throws <see cref="AlsDecodeException"/> with the
/// absolute byte offset on malformed input. Allocates nothing except on error.
/// </summary>
internal ref struct ProtoReader
{
    private const int MaxGroupDepth = 64;

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _origin;
    private int _position;
    private int _tagOffset;

    /// <param name="data">The message bytes.</param>
    /// <param name="origin">Offset of <paramref name="data"/>[0] in the top-level message, for error messages.</param>
    public ProtoReader(ReadOnlySpan<byte> data, int origin = 0)
    {
        _data = data;
        _origin = origin;
        _position = 0;
        _tagOffset = origin;
    }

    /// <summary>Absolute offset of the next byte to read.</summary>
    public readonly int Offset => _origin + _position;

    /// <summary>Absolute offset of the last tag read.</summary>
    public readonly int TagOffset => _tagOffset;

    /// <summary>Position relative to this reader's start (to resume a reader with <see cref="Slice"/>).</summary>
    public readonly int Position => _position;

    /// <summary>A reader over this reader's bytes from <paramref name="position"/> on.</summary>
    public readonly ProtoReader Slice(int position) => new(_data[position..], _origin + position);

    public bool TryReadTag(out int fieldNumber, out ProtoWireType wireType)
    {
        if (_position >= _data.Length)
        {
            fieldNumber = 0;
            wireType = default;
            return false;
        }

        _tagOffset = _origin + _position;
        var tag = ReadVarint();
        if (tag > uint.MaxValue)
        {
            ThrowInvalidTag(_tagOffset, $"tag {tag} does not fit in 32 bits");
        }

        fieldNumber = (int)(tag >> 3);
        wireType = (ProtoWireType)(tag & 7);
        if (fieldNumber == 0)
        {
            ThrowInvalidTag(_tagOffset, "field number 0 is not allowed");
        }

        if ((int)wireType > 5)
        {
            ThrowInvalidTag(_tagOffset, $"field {fieldNumber} has invalid wire type {(int)wireType}");
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarint()
    {
        var position = _position;
        var data = _data;
        if ((uint)position < (uint)data.Length)
        {
            var b = data[position];
            if (b < 0x80)
            {
                _position = position + 1;
                return b;
            }
        }

        return ReadVarintSlow();
    }

    private ulong ReadVarintSlow()
    {
        var start = _position;
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _data.Length)
            {
                Throw(AlsDecodeError.Truncated, _origin + start, "truncated varint");
            }

            var b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        Throw(AlsDecodeError.MalformedVarint, _origin + start, "varint longer than 10 bytes");
        return 0;
    }

    /// <summary>Reads a length-delimited field's payload.</summary>
    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var start = _position;
        var length = ReadVarint();
        var remaining = _data.Length - _position;
        if (length > (ulong)remaining)
        {
            ThrowLengthOutOfRange(_origin + start, length, remaining);
        }

        var payload = _data.Slice(_position, (int)length);
        _position += (int)length;
        return payload;
    }

    /// <summary>Reads a length-delimited field as an embedded message.</summary>
    public ProtoReader ReadMessage()
    {
        var start = _position;
        var length = ReadVarint();
        var remaining = _data.Length - _position;
        if (length > (ulong)remaining)
        {
            ThrowLengthOutOfRange(_origin + start, length, remaining);
        }

        var reader = new ProtoReader(_data.Slice(_position, (int)length), _origin + _position);
        _position += (int)length;
        return reader;
    }

    /// <summary>Skips the value of a field whose tag was just read.</summary>
    public void Skip(int fieldNumber, ProtoWireType wireType) => Skip(fieldNumber, wireType, 0);

    private void Skip(int fieldNumber, ProtoWireType wireType, int depth)
    {
        switch (wireType)
        {
            case ProtoWireType.Varint:
                ReadVarint();
                break;
            case ProtoWireType.Fixed64:
                SkipBytes(8);
                break;
            case ProtoWireType.Fixed32:
                SkipBytes(4);
                break;
            case ProtoWireType.LengthDelimited:
                ReadLengthDelimited();
                break;
            case ProtoWireType.StartGroup:
                SkipGroup(fieldNumber, depth + 1);
                break;
            default:
                Throw(AlsDecodeError.InvalidGroup, _tagOffset, $"end-group tag for field {fieldNumber} without a start-group");
                break;
        }
    }

    private void SkipBytes(int count)
    {
        if (_data.Length - _position < count)
        {
            Throw(AlsDecodeError.Truncated, Offset, $"truncated {count * 8}-bit fixed value");
        }

        _position += count;
    }

    private void SkipGroup(int groupField, int depth)
    {
        var start = _tagOffset;
        if (depth > MaxGroupDepth)
        {
            Throw(AlsDecodeError.InvalidGroup, start, $"groups nested deeper than {MaxGroupDepth}");
        }

        while (TryReadTag(out var field, out var wireType))
        {
            if (wireType == ProtoWireType.EndGroup)
            {
                if (field != groupField)
                {
                    Throw(AlsDecodeError.InvalidGroup, _tagOffset, $"end-group tag for field {field} closes group {groupField}");
                }

                return;
            }

            Skip(field, wireType, depth);
        }

        Throw(AlsDecodeError.Truncated, start, $"group {groupField} is not closed");
    }

    /// <summary>Throws unless a field LazyMesh interprets has its schema's wire type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Expect(ProtoWireType actual, ProtoWireType expected, string fieldName)
    {
        if (actual != expected)
        {
            ThrowWrongWireType(_tagOffset, fieldName, actual, expected);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowWrongWireType(int offset, string fieldName, ProtoWireType actual, ProtoWireType expected) =>
        throw new AlsDecodeException(AlsDecodeError.WrongWireType, offset, $"{fieldName} has wire type {actual}, expected {expected}");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLengthOutOfRange(int offset, ulong length, int remaining) =>
        throw new AlsDecodeException(AlsDecodeError.LengthOutOfRange, offset, $"length {length} runs past the end of the enclosing message ({remaining} bytes left)");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowInvalidTag(int offset, string message) =>
        throw new AlsDecodeException(AlsDecodeError.InvalidTag, offset, message);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(AlsDecodeError kind, int offset, string message) =>
        throw new AlsDecodeException(kind, offset, message);
}
