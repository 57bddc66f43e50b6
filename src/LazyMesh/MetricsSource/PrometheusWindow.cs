using System.Globalization;
using System.Text.RegularExpressions;

namespace LazyMesh.MetricsSource;

/// <summary>A Prometheus range duration such as <c>7d</c>, <c>1h30m</c> or <c>90s</c> (units ms, s, m, h, d, w, y), kept as written for the query.</summary>
public sealed partial record PrometheusWindow(string Text, TimeSpan Duration)
{
    public static PrometheusWindow Default { get; } = new("7d", TimeSpan.FromDays(7));

    public static bool TryParse(string text, out PrometheusWindow window)
    {
        window = Default;
        if (string.IsNullOrEmpty(text) || !Pattern().IsMatch(text))
        {
            return false;
        }

        var total = TimeSpan.Zero;
        foreach (Match part in Part().Matches(text))
        {
            var n = long.Parse(part.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                "d" => TimeSpan.FromDays(n),
                "w" => TimeSpan.FromDays(7 * n),
                _ => TimeSpan.FromDays(365 * n),
            };
        }

        if (total <= TimeSpan.Zero)
        {
            return false;
        }

        window = new PrometheusWindow(text, total);
        return true;
    }

    [GeneratedRegex(@"^([0-9]+(ms|y|w|d|h|m|s))+$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"([0-9]+)(ms|y|w|d|h|m|s)")]
    private static partial Regex Part();
}
