namespace LazyMesh.Demo;

/// <summary>One outbound call a simulated sidecar made.</summary>
public sealed record DemoCall(string Workload, string Destination, RouteTaken Route, int StatusCode, TimeSpan Elapsed);
