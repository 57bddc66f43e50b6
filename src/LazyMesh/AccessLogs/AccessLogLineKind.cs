namespace LazyMesh.AccessLogs;

/// <summary>What a line of an access log source turned out to be.</summary>
public enum AccessLogLineKind : byte
{
    /// <summary>An access log entry, decoded into an <see cref="AccessEvent"/>.</summary>
    Parsed,

    /// <summary>Empty or whitespace only; not counted as a problem.</summary>
    Empty,

    /// <summary>
    /// Not an access log entry, e.g. Envoy's or istio-agent's own log lines mixed into <c>kubectl logs</c> of istio-proxy.
    /// </summary>
    NotAccessLog,

    /// <summary>Looks like an access log entry (TEXT or JSON) but cannot be decoded, e.g. a line cut in the middle.</summary>
    Malformed,

    /// <summary>Longer than the reader's line limit; skipped without being decoded.</summary>
    TooLong,
}
