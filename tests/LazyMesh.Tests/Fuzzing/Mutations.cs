using System.Text;
using CsCheck;

namespace LazyMesh.Tests.Fuzzing;

/// <summary>
/// Inputs for the fuzz properties: a valid seed changed by up to eight <see cref="ByteMutation"/>s (bit flips, interesting
/// bytes, insertions, deletions, truncation, repetition, splicing of another seed, deep nesting). Generated as data, so
/// that CsCheck shrinks a failing input towards the seed and the fewest, smallest mutations.
/// </summary>
public static class Mutations
{
    /// <summary>Inputs stop growing at this size, so one execution stays in the millisecond range.</summary>
    public const int MaxBytes = 256 * 1024;

    private static readonly Gen<ByteMutation> One = Gen.Select(
        Gen.Enum<MutationKind>(), Gen.Int[0, int.MaxValue], Gen.Int[1, 256], Gen.Byte, Gen.Int[1, 3_000],
        (kind, position, length, value, count) => new ByteMutation(kind, position, length, value, count));

    /// <summary>A seed, mutated.</summary>
    public static Gen<byte[]> Of(IReadOnlyList<byte[]> seeds, IMutationDialect dialect) =>
        Gen.Select(Gen.Int[0, seeds.Count - 1], One.Array[0, 8], (seed, mutations) => Apply(seeds, seed, mutations, dialect));

    public static byte[] Apply(IReadOnlyList<byte[]> seeds, int seed, ByteMutation[] mutations, IMutationDialect dialect)
    {
        var data = new List<byte>(seeds[seed]);
        foreach (var m in mutations)
        {
            var position = data.Count == 0 ? 0 : m.Position % data.Count;
            var length = Math.Min(m.Length, data.Count - position);
            switch (m.Kind)
            {
                case MutationKind.FlipBit when data.Count > 0:
                    data[position] ^= (byte)(1 << (m.Value % 8));
                    break;
                case MutationKind.SetInteresting when data.Count > 0:
                    var interesting = dialect.Interesting[m.Value % dialect.Interesting.Count];
                    data.RemoveRange(position, Math.Min(interesting.Length, data.Count - position));
                    data.InsertRange(position, interesting);
                    break;
                case MutationKind.SetRandom when data.Count > 0:
                    data[position] = m.Value;
                    break;
                case MutationKind.Insert:
                    for (var i = 0; i < (m.Count % 16) + 1; i++)
                    {
                        data.InsertRange(position, dialect.Interesting[m.Value % dialect.Interesting.Count]);
                    }

                    break;
                case MutationKind.Delete:
                    data.RemoveRange(position, length);
                    break;
                case MutationKind.Truncate:
                    data.RemoveRange(position, data.Count - position);
                    break;
                case MutationKind.Repeat when length > 0:
                    var range = data.GetRange(position, length);
                    for (var i = 0; i < m.Count % 64 && data.Count + range.Count <= MaxBytes; i++)
                    {
                        data.InsertRange(position, range);
                    }

                    break;
                case MutationKind.Splice:
                    var other = seeds[m.Value % seeds.Count];
                    var from = other.Length == 0 ? 0 : m.Count % other.Length;
                    data.InsertRange(position, other.AsSpan(from, Math.Min(m.Length * 4, other.Length - from)).ToArray());
                    break;
                case MutationKind.Nest:
                    var nested = dialect.Nest(data.GetRange(position, length).ToArray(), m.Count, m.Value);
                    data.RemoveRange(position, length);
                    data.InsertRange(position, nested);
                    break;
            }

            if (data.Count > MaxBytes)
            {
                data.RemoveRange(MaxBytes, data.Count - MaxBytes);
            }
        }

        return [.. data];
    }

    /// <summary>How a failing input is shown: its size, a readable start, and all of it as base64 to replay.</summary>
    public static string Print(byte[] input)
    {
        var preview = Encoding.UTF8.GetString(input.AsSpan(0, Math.Min(input.Length, 400)));
        return $"{input.Length} bytes: {preview.ReplaceLineEndings("\\n")} (base64 {Convert.ToBase64String(input)})";
    }
}
