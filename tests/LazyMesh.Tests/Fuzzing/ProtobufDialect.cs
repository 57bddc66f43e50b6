namespace LazyMesh.Tests.Fuzzing;

/// <summary>Protobuf: continuation bytes, tags of every wire type (including groups and the invalid 6 and 7), huge lengths.</summary>
public sealed class ProtobufDialect : IMutationDialect
{
    public static ProtobufDialect Instance { get; } = new();

    public IReadOnlyList<byte[]> Interesting { get; } =
    [
        [0x80], [0xFF], [0x00], [0x7F], [0x0A], [0x12], [0x1A], [0x0B], [0x0C], [0x0E], [0x0F], [0x08], [0x0D], [0x09],
        [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], [0xC3, 0x28], [0xED, 0xA0, 0x80],
    ];

    /// <summary>Length-delimited fields inside each other (field 1, 2, 3 or 5: the ones the decoder descends into), or groups.</summary>
    public byte[] Nest(ReadOnlySpan<byte> inner, int levels, byte choice)
    {
        var field = new byte[] { 1, 2, 3, 5 }[choice % 4];
        var message = inner.ToArray();
        levels = Math.Min(levels, 256);
        if (choice % 8 >= 4)
        {
            var start = (byte)((field << 3) | 3);
            var end = (byte)((field << 3) | 4);
            var grouped = new byte[message.Length + (2 * levels)];
            grouped.AsSpan(0, levels).Fill(start);
            message.CopyTo(grouped, levels);
            grouped.AsSpan(levels + message.Length).Fill(end);
            return grouped;
        }

        for (var i = 0; i < levels && message.Length < 1 << 20; i++)
        {
            using var stream = new MemoryStream();
            stream.WriteByte((byte)((field << 3) | 2));
            for (var length = (uint)message.Length; ; length >>= 7)
            {
                if (length < 0x80)
                {
                    stream.WriteByte((byte)length);
                    break;
                }

                stream.WriteByte((byte)(length | 0x80));
            }

            stream.Write(message);
            message = stream.ToArray();
        }

        return message;
    }
}
