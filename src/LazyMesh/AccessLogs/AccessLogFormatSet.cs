namespace LazyMesh.AccessLogs;

/// <summary>
/// The formats a line is tried against: custom ones (from <c>--log-format</c>) first, then, unless excluded, every
/// default Istio TEXT format (<see cref="IstioAccessLogFormats.CompiledText"/>) and Istio's JSON keys.
/// </summary>
public sealed record AccessLogFormatSet(IReadOnlyList<TextLogFormat> Text, IReadOnlyList<JsonLogFormat> Json)
{
    /// <summary>Every default Istio format, 1.1 onwards.</summary>
    public static AccessLogFormatSet IstioDefaults { get; } = new(IstioAccessLogFormats.CompiledText, [JsonLogFormat.Istio]);

    /// <summary>Custom formats first, then Istio's defaults (a mesh may mix old proxies and customised ones).</summary>
    public static AccessLogFormatSet WithDefaults(IEnumerable<TextLogFormat> text, IEnumerable<JsonLogFormat> json) =>
        new([.. text, .. IstioAccessLogFormats.CompiledText], [.. json, JsonLogFormat.Istio]);

    public override string ToString() => string.Join(", ", Text.Select(t => t.Name).Concat(Json.Select(j => j.Name)));
}
