using System.Text;

namespace LazyMesh.Tests.Fuzzing;

/// <summary>Access-log lines, YAML and JSON: quotes, brackets, separators, YAML indicators, invalid UTF-8.</summary>
public sealed class TextDialect : IMutationDialect
{
    public static TextDialect Instance { get; } = new();

    private static readonly (string Open, string Close)[] Nesting =
    [
        ("[", "]"), ("{", "}"), ("{\"a\":", "}"), ("{a: ", "}"), ("- ", string.Empty), ("\"", "\""), ("&x [", "]"), ("[*x, ", "]"),
    ];

    public IReadOnlyList<byte[]> Interesting { get; } =
    [
        .. new[]
        {
            "\"", "'", "[", "]", "{", "}", ",", ":", " ", "\n", "\r\n", "\t", "\\", "\\u0000", "%", "-", "--- ", "...", "&a ", "*a", "<<: ",
            "!!str ", "|\n", ">\n", "#", "~", "0", "-1", "1e309", "9223372036854775808", "null", "true", "::", "[::1]:", "65536", "|||",
        }.Select(Encoding.UTF8.GetBytes),
        [0], [0x7F], [0x80], [0xC3], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF], [0xFF],
    ];

    public byte[] Nest(ReadOnlySpan<byte> inner, int levels, byte choice)
    {
        var (open, close) = Nesting[choice % Nesting.Length];
        var openBytes = Encoding.UTF8.GetBytes(open);
        var closeBytes = Encoding.UTF8.GetBytes(close);
        var result = new byte[(openBytes.Length + closeBytes.Length) * levels + inner.Length];
        var at = 0;
        for (var i = 0; i < levels; i++, at += openBytes.Length)
        {
            openBytes.CopyTo(result, at);
        }

        inner.CopyTo(result.AsSpan(at));
        at += inner.Length;
        for (var i = 0; i < levels; i++, at += closeBytes.Length)
        {
            closeBytes.CopyTo(result, at);
        }

        return result;
    }
}
