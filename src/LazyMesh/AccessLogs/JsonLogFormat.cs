using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace LazyMesh.AccessLogs;

/// <summary>
/// Which JSON keys of an access-log line carry which <see cref="AccessLogField"/>: Istio's default keys
/// (<see cref="Istio"/>), or the keys of a custom format's labels (MeshConfig <c>accessLogFormat</c> with
/// <c>accessLogEncoding: JSON</c>, a Telemetry provider's <c>envoyFileAccessLog.logFormat.labels</c>), each mapped from the
/// one command operator its value holds. Immutable.
/// </summary>
public sealed class JsonLogFormat
{
    /// <summary>
    /// What a line must have to be attributed at all: the cluster and the caller. The other required fields are checked
    /// when a custom format is compiled; a line of Istio's keys that lacks them is still read.
    /// </summary>
    private static readonly uint LineRequiredMask = (1u << (int)AccessLogField.UpstreamCluster) | (1u << (int)AccessLogField.DownstreamRemoteAddress);

    private readonly FrozenDictionary<string, AccessLogField>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Dictionary<string, AccessLogField>.AlternateLookup<ReadOnlySpan<char>> _storedKeys;
    private readonly string[] _requiredKeys;

    private JsonLogFormat(string name, IReadOnlyDictionary<string, AccessLogField> keys, bool isIstio)
    {
        Name = name;
        Keys = keys.ToFrozenDictionary(StringComparer.Ordinal);
        _lookup = Keys.GetAlternateLookup<ReadOnlySpan<char>>();
        _storedKeys = new Dictionary<string, AccessLogField>(Keys, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        IsIstio = isIstio;
        _requiredKeys = [.. new[] { AccessLogField.UpstreamCluster, AccessLogField.DownstreamRemoteAddress }
            .Select(f => Keys.FirstOrDefault(k => k.Value == f).Key).Where(k => k is not null)];
        MissingKeysError = $"JSON access log without the keys LazyMesh needs ({string.Join(", ", _requiredKeys)}): "
            + "a custom JSON format? pass it with --log-format";
    }

    /// <summary>
    /// Istio's default JSON keys, 1.1 onwards (<c>EnvoyJSONLogFormat*</c> in pilot/pkg/networking/core/v1alpha3/listener.go
    /// 1.1-1.7, accesslog.go 1.8-1.14, pilot/pkg/model/telemetry_logging.go 1.15+). The keys that only some versions print
    /// (istio_policy_status 1.1-1.7, upstream_transport_failure_reason 1.2+, route_name 1.3+, response_code_details 1.9+)
    /// tell the version family.
    /// </summary>
    public static JsonLogFormat Istio { get; } = new(
        "Istio JSON",
        new Dictionary<string, AccessLogField>
        {
            ["start_time"] = AccessLogField.StartTime,
            ["method"] = AccessLogField.Method,
            ["protocol"] = AccessLogField.Protocol,
            ["authority"] = AccessLogField.Authority,
            ["upstream_cluster"] = AccessLogField.UpstreamCluster,
            ["downstream_local_address"] = AccessLogField.DownstreamLocalAddress,
            ["downstream_remote_address"] = AccessLogField.DownstreamRemoteAddress,
            ["response_flags"] = AccessLogField.ResponseFlags,
            ["requested_server_name"] = AccessLogField.RequestedServerName,
            ["route_name"] = AccessLogField.RouteName,
            ["istio_policy_status"] = AccessLogField.MixerStatus,
            ["upstream_transport_failure_reason"] = AccessLogField.TransportFailureReason,
            ["response_code_details"] = AccessLogField.ResponseCodeDetails,
        },
        isIstio: true);

    public string Name { get; }

    /// <summary>Key to field; keys not listed are skipped.</summary>
    public FrozenDictionary<string, AccessLogField> Keys { get; }

    /// <summary>True for <see cref="Istio"/>: lines are counted by version family.</summary>
    public bool IsIstio { get; }

    /// <summary>The error for an object that has some of the keys but not all the required ones.</summary>
    public string MissingKeysError { get; }

    /// <summary>The field of <paramref name="key"/>, or false when LazyMesh does not read it.</summary>
    public bool TryGetField(ReadOnlySpan<char> key, out AccessLogField field) => _lookup.TryGetValue(key, out field);

    /// <summary>As <see cref="TryGetField(ReadOnlySpan{char}, out AccessLogField)"/>, also giving the key as stored (not allocated).</summary>
    internal bool TryGetField(ReadOnlySpan<char> key, [NotNullWhen(true)] out string? storedKey, out AccessLogField field) =>
        _storedKeys.TryGetValue(key, out storedKey, out field);

    /// <summary>
    /// Derives the key mapping from a format's labels (key -> Envoy format string). A label whose value is exactly one
    /// command operator gives its key that operator's field; composite values are read as <see cref="AccessLogField.Other"/>.
    /// </summary>
    /// <exception cref="AccessLogFormatException">A value is not a valid format string, or the labels lack required fields (listed).</exception>
    public static JsonLogFormat Compile(string name, IReadOnlyDictionary<string, string> labels)
    {
        var keys = new Dictionary<string, AccessLogField>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            IReadOnlyList<EnvoyFormatSegment> segments;
            try
            {
                segments = EnvoyFormatString.Parse(value.Trim());
            }
            catch (FormatException e)
            {
                throw new AccessLogFormatException($"JSON label \"{key}\": {e.Message}");
            }

            var field = segments is [{ Operator: { } op }] ? AccessLogFields.Of(op) : AccessLogField.Other;
            keys[key] = field;
        }

        var missing = AccessLogFields.Missing(keys.Values);
        if (missing.Count > 0)
        {
            throw new AccessLogFormatException(
                $"the JSON access-log format lacks what LazyMesh needs to attribute calls: add labels with {string.Join(", ", missing)}", missing);
        }

        return new JsonLogFormat(name, keys, isIstio: false);
    }

    /// <summary>Whether the fields every line needs were seen (<paramref name="seen"/>: a bit per <see cref="AccessLogField"/>).</summary>
    internal static bool HasRequired(uint seen) => (seen & LineRequiredMask) == LineRequiredMask;

    /// <summary>The version family of an Istio default JSON line from the keys it had.</summary>
    internal static IstioJsonFamily FamilyOf(uint seen)
    {
        static bool Has(uint s, AccessLogField f) => (s & (1u << (int)f)) != 0;
        if (Has(seen, AccessLogField.ResponseCodeDetails))
        {
            return IstioJsonFamily.V19Plus;
        }

        if (!Has(seen, AccessLogField.MixerStatus))
        {
            return IstioJsonFamily.V18;
        }

        return Has(seen, AccessLogField.RouteName) ? IstioJsonFamily.V13To17
            : Has(seen, AccessLogField.TransportFailureReason) ? IstioJsonFamily.V12 : IstioJsonFamily.V11;
    }

    public override string ToString() => Name;
}
