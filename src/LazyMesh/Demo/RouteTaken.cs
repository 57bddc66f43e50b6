namespace LazyMesh.Demo;

/// <summary>How a simulated sidecar sent one outbound call.</summary>
public enum RouteTaken
{
    /// <summary>The workload's Sidecar imports the destination: straight to an endpoint.</summary>
    Direct,

    /// <summary>Not imported yet: through the fallback proxy, which reports the call.</summary>
    Fallback,
}
