using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LazyMesh.AccessLogs;

/// <summary>
/// Bitmaps of the spaces and double quotes of one line (bit <c>i</c> of word <c>i / 64</c> is char <c>i</c>), built
/// with one vectorized pass so that a TEXT parser finds each field separator with a bit scan instead of a char loop.
/// </summary>
internal static class TextLineMasks
{
    /// <summary>Longest line the stack-allocated bitmaps cover; longer lines take the scalar path.</summary>
    public const int MaxChars = 2048;

    /// <summary>Words per bitmap for <paramref name="length"/> chars.</summary>
    public static int Words(int length) => (length + 63) >> 6;

    /// <summary>Fills <paramref name="spaces"/> and <paramref name="quotes"/> (each <see cref="Words"/> long) for <paramref name="line"/>.</summary>
    public static void Build(ReadOnlySpan<char> line, Span<ulong> spaces, Span<ulong> quotes) => Build(line, ' ', '"', spaces, quotes);

    /// <summary>
    /// Fills <paramref name="firstMask"/> and <paramref name="secondMask"/> (each <see cref="Words"/> long) with where
    /// <paramref name="first"/> and <paramref name="second"/> are in <paramref name="line"/> (JSON: quotes and backslashes).
    /// </summary>
    [SkipLocalsInit]
    public static void Build(ReadOnlySpan<char> line, char first, char second, Span<ulong> firstMask, Span<ulong> secondMask)
    {
        ref ushort start = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(line));
        int full = line.Length >> 6;
        for (int w = 0; w < full; w++)
        {
            Block(ref Unsafe.Add(ref start, w << 6), first, second, out firstMask[w], out secondMask[w]);
        }

        int rest = line.Length - (full << 6);
        if (rest > 0)
        {
            Span<ushort> tail = stackalloc ushort[64];
            MemoryMarshal.Cast<char, ushort>(line[(full << 6)..]).CopyTo(tail);
            tail[rest..].Clear();
            Block(ref MemoryMarshal.GetReference(tail), first, second, out firstMask[full], out secondMask[full]);
        }
    }

    /// <summary>Index of the first set bit at or after <paramref name="from"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Next(ReadOnlySpan<ulong> mask, int from)
    {
        int w = from >> 6;
        if ((uint)w >= (uint)mask.Length)
        {
            return -1;
        }

        ulong bits = mask[w] & (ulong.MaxValue << (from & 63));
        while (bits == 0)
        {
            if (++w == mask.Length)
            {
                return -1;
            }

            bits = mask[w];
        }

        return (w << 6) + BitOperations.TrailingZeroCount(bits);
    }

    private static void Block(ref ushort p, char first, char second, out ulong spaces, out ulong quotes)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var space = Vector512.Create((ushort)first);
            var quote = Vector512.Create((ushort)second);
            var a = Vector512.LoadUnsafe(ref p);
            var b = Vector512.LoadUnsafe(ref p, 32);
            spaces = Vector512.Equals(a, space).ExtractMostSignificantBits() | (Vector512.Equals(b, space).ExtractMostSignificantBits() << 32);
            quotes = Vector512.Equals(a, quote).ExtractMostSignificantBits() | (Vector512.Equals(b, quote).ExtractMostSignificantBits() << 32);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var space = Vector256.Create((ushort)first);
            var quote = Vector256.Create((ushort)second);
            spaces = 0;
            quotes = 0;
            for (int i = 0; i < 4; i++)
            {
                var v = Vector256.LoadUnsafe(ref p, (nuint)(i << 4));
                spaces |= (ulong)Vector256.Equals(v, space).ExtractMostSignificantBits() << (i << 4);
                quotes |= (ulong)Vector256.Equals(v, quote).ExtractMostSignificantBits() << (i << 4);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var space = Vector128.Create((ushort)first);
            var quote = Vector128.Create((ushort)second);
            spaces = 0;
            quotes = 0;
            for (int i = 0; i < 8; i++)
            {
                var v = Vector128.LoadUnsafe(ref p, (nuint)(i << 3));
                spaces |= (ulong)Vector128.Equals(v, space).ExtractMostSignificantBits() << (i << 3);
                quotes |= (ulong)Vector128.Equals(v, quote).ExtractMostSignificantBits() << (i << 3);
            }
        }
        else
        {
            spaces = 0;
            quotes = 0;
            for (int i = 0; i < 64; i++)
            {
                ushort c = Unsafe.Add(ref p, i);
                spaces |= (c == first ? 1UL : 0UL) << i;
                quotes |= (c == second ? 1UL : 0UL) << i;
            }
        }
    }
}
