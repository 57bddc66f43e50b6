using System.Diagnostics.Metrics;
using System.Text.Json;

namespace LazyMesh.Hosting;

/// <summary>Label values for an enum, snake_case as Prometheus label values go (<c>UnknownSource</c> → <c>unknown_source</c>).</summary>
public static class MetricLabel
{
    /// <summary>The label value of every member of <typeparamref name="TEnum"/>, indexed by its (dense, from 0) value.</summary>
    public static string[] Of<TEnum>()
        where TEnum : struct, Enum =>
        [.. Enum.GetNames<TEnum>().Select(static n => JsonNamingPolicy.SnakeCaseLower.ConvertName(n))];

    /// <summary>A count with one label (<c>result="failed"</c>), for an observable counter.</summary>
    public static Measurement<long> Count(long value, string label, string labelValue) => new(value, new KeyValuePair<string, object?>(label, labelValue));

    /// <summary>The observation of an observable counter by one label: each value with what reads its count.</summary>
    public static Func<IEnumerable<Measurement<long>>> Counts(string label, params (string Value, Func<long> Read)[] counts) =>
        () => counts.Select(c => Count(c.Read(), label, c.Value));
}
