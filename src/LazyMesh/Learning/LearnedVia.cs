namespace LazyMesh.Learning;

/// <summary>How a dependency was seen; a host can be seen several ways over its life.</summary>
[Flags]
public enum LearnedVia
{
    /// <summary>Not recorded (restored from persisted state, which does not keep it).</summary>
    None = 0,

    /// <summary>A sidecar's own access log (ALS stream or log file).</summary>
    SidecarLog = 1,

    /// <summary>The fallback proxy served the call: the caller's Sidecar did not import the destination yet.</summary>
    Fallback = 2,

    /// <summary>Istio's standard Prometheus metrics.</summary>
    Metrics = 4,
}
