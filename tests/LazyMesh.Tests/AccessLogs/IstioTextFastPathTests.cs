using LazyMesh.AccessLogs;

namespace LazyMesh.Tests.AccessLogs;

/// <summary>
/// A <see cref="TextLogFormat"/> finds separators with vectorized bitmaps for lines up to <see cref="TextLineMasks.MaxChars"/>
/// and with scalar searches otherwise; both must agree on every line, for every Istio default format.
/// </summary>
public class IstioTextFastPathTests
{
    public static TheoryData<string> Lines()
    {
        var data = new TheoryData<string>();
        foreach (var line in SampleLines.All)
        {
            data.Add(line);
        }

        // Every length across several 64-char bitmap words, and past the bitmap limit.
        foreach (int pad in new[] { 0, 1, 2, 30, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 1700, 1800, 2100 })
        {
            data.Add(SampleLines.HttpOutbound.Replace("python-requests/2.31.0", "python-requests/2.31.0 " + new string('x', pad), StringComparison.Ordinal));
        }

        // Shapes that are malformed, each with a precise message.
        data.Add(SampleLines.HttpOutbound.Replace(" 200 ", " 2x0 ", StringComparison.Ordinal));
        data.Add(SampleLines.HttpOutbound.Replace(" 358 ", "  358 ", StringComparison.Ordinal));
        data.Add(SampleLines.HttpOutbound.Replace("\"reviews:9080\"", "\"rev\"iews:9080\"", StringComparison.Ordinal));
        data.Add(SampleLines.HttpOutbound.Replace("\"reviews:9080\" ", "\"reviews:9080\"", StringComparison.Ordinal));
        data.Add(SampleLines.HttpOutbound.Replace(" - default", string.Empty, StringComparison.Ordinal));
        data.Add(SampleLines.HttpOutbound[..^30]);
        data.Add(SampleLines.Tcp.Replace("\"-\" \"-\" \"-\" \"-\"", "\"-\" \"-\" \"-\" \"-\"\"", StringComparison.Ordinal));
        data.Add(SampleLines.Tcp.Replace("\"- - -\" 0", "\"- - -\"0", StringComparison.Ordinal));
        return data;
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void Bitmap_path_and_scalar_search_agree(string line)
    {
        foreach (var format in IstioAccessLogFormats.CompiledText)
        {
            Assert.Equal(Describe(format, line, allowMasks: false), Describe(format, line, allowMasks: true));
        }
    }

    [Fact]
    public void Bitmaps_mark_every_space_and_quote()
    {
        foreach (int length in new[] { 0, 1, 63, 64, 65, 200 })
        {
            var text = string.Concat(Enumerable.Range(0, length).Select(i => (i % 7) switch { 0 => ' ', 3 => '"', 5 => '\u2020', _ => 'a' }));
            int words = TextLineMasks.Words(length);
            var spaces = new ulong[words];
            var quotes = new ulong[words];
            TextLineMasks.Build(text, spaces, quotes);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(text[i] == ' ', ((spaces[i >> 6] >> (i & 63)) & 1) == 1);
                Assert.Equal(text[i] == '"', ((quotes[i >> 6] >> (i & 63)) & 1) == 1);
            }

            Assert.Equal(length == 0 ? -1 : 0, TextLineMasks.Next(spaces, 0));
            Assert.Equal(-1, TextLineMasks.Next(spaces, length));
        }
    }

    private static string Describe(TextLogFormat format, string line, bool allowMasks)
    {
        var kind = format.Parse(line, out var e, out string? error, out int progress, allowMasks);
        return $"{kind}|{error}|{progress}|{e.Protocol}|{e.UpstreamCluster}|{e.Authority}|{e.SourceAddress}|{e.OriginalDestinationAddress}|"
            + $"{e.OriginalDestinationPort}|{e.StartTimeUnixMs}|{e.ResponseFlags}|{e.RouteName}|{e.RequestedServerName}";
    }
}
