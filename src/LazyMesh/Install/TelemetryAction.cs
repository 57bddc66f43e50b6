namespace LazyMesh.Install;

/// <summary>What to do about mesh-wide access logging, decided by <see cref="TelemetryPlanner"/>.</summary>
public enum TelemetryAction
{
    /// <summary>No other mesh-wide Telemetry: apply LazyMesh's own.</summary>
    ApplyOwn,

    /// <summary>A user's mesh-wide Telemetry without access logging: add LazyMesh's <c>accessLogging</c> to it (owned by LazyMesh's field manager, removed on uninstall).</summary>
    MergeIntoExisting,

    /// <summary>A user's mesh-wide Telemetry already sends access logs to LazyMesh's providers: nothing to do.</summary>
    AlreadyWired,

    /// <summary>A user's mesh-wide Telemetry has its own access logging: left untouched, reported with the change to make.</summary>
    Report,
}
