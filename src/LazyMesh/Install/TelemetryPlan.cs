namespace LazyMesh.Install;

/// <summary>The decision about mesh-wide access logging: the action, the user's Telemetry it concerns (if any) and why.</summary>
public sealed record TelemetryPlan(TelemetryAction Action, string? ExistingName, string Message);
