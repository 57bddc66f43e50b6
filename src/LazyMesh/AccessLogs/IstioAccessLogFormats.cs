namespace LazyMesh.AccessLogs;

/// <summary>
/// Every default TEXT access-log format Istio has shipped, transcribed from istio/istio (the tag and file each came
/// from are in <see cref="IstioTextFormat.Source"/>; the history is in docs/access-logs.md). The JSON defaults differ
/// only in extra keys (see <see cref="JsonLogFormat.Istio"/>).
/// </summary>
public static class IstioAccessLogFormats
{
    private const string Head = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% ";
    private const string Middle = "%BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" "
        + "\"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" ";

    private const string Tail = "%UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME%";

    /// <summary>Istio 1.23+ <c>EnvoyTextLogFormat</c> (pilot/pkg/model/telemetry_logging.go): today's default.</summary>
    public const string Text123 = Head + "%RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% \"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" "
        + Middle + "%UPSTREAM_CLUSTER_RAW% " + Tail + " %ROUTE_NAME%\n";

    /// <summary>
    /// Istio 1.9 <c>EnvoyTextLogFormatIstio19</c>, 1.11-1.22 <c>EnvoyTextLogFormat</c>, 1.23+ <c>LegacyEnvoyTextLogFormat</c>
    /// (for proxies older than 1.23): same fields as <see cref="Text123"/>, with %UPSTREAM_CLUSTER%.
    /// </summary>
    public const string Text19 = Head + "%RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% \"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" "
        + Middle + "%UPSTREAM_CLUSTER% " + Tail + " %ROUTE_NAME%\n";

    /// <summary>Istio 1.8 <c>EnvoyTextLogFormat</c> (pilot/pkg/networking/core/v1alpha3/accesslog.go): mixer status gone.</summary>
    public const string Text18 = Head + "\"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" " + Middle + "%UPSTREAM_CLUSTER% " + Tail + " %ROUTE_NAME%\n";

    /// <summary>Istio 1.3 <c>EnvoyTextLogFormat13</c> through 1.7 <c>EnvoyTextLogFormat</c> (v1alpha3/listener.go): ROUTE_NAME added.</summary>
    public const string Text13 = Head + "\"%DYNAMIC_METADATA(istio.mixer:status)%\" \"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" "
        + Middle + "%UPSTREAM_CLUSTER% " + Tail + " %ROUTE_NAME%\n";

    /// <summary>Istio 1.2 <c>EnvoyTextLogFormat</c> (and 1.3-1.5 <c>EnvoyTextLogFormat12</c> for 1.2 proxies): failure reason added.</summary>
    public const string Text12 = Head + "\"%DYNAMIC_METADATA(istio.mixer:status)%\" \"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" "
        + Middle + "%UPSTREAM_CLUSTER% " + Tail + "\n";

    /// <summary>Istio 1.1 <c>EnvoyTextLogFormat</c> (v1alpha3/listener.go): the first default.</summary>
    public const string Text11 = Head + "\"%DYNAMIC_METADATA(istio.mixer:status)%\" " + Middle + "%UPSTREAM_CLUSTER% " + Tail + "\n";

    /// <summary>The default TEXT formats, newest first: the order in which a line is tried.</summary>
    public static IReadOnlyList<IstioTextFormat> Text { get; } =
    [
        new("1.9+", "1.9.0", "pilot/pkg/model/telemetry_logging.go (1.15+), pilot/pkg/networking/core/v1alpha3/accesslog.go (1.9-1.14)", Text123),
        new("1.8", "1.8.0", "pilot/pkg/networking/core/v1alpha3/accesslog.go", Text18),
        new("1.3-1.7", "1.3.0", "pilot/pkg/networking/core/v1alpha3/listener.go", Text13),
        new("1.2", "1.2.0", "pilot/pkg/networking/core/v1alpha3/listener.go", Text12),
        new("1.1", "1.1.0", "pilot/pkg/networking/core/v1alpha3/listener.go", Text11),
    ];

    /// <summary>Compiled parsers of <see cref="Text"/>, same order, named <c>Istio &lt;family&gt; TEXT</c>.</summary>
    public static IReadOnlyList<TextLogFormat> CompiledText { get; } =
        [.. Text.Select(f => TextLogFormat.Compile($"Istio {f.Family} TEXT", f.Format))];
}
