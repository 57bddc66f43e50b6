namespace LazyMesh.Demo;

public sealed record DemoOptions
{
    /// <summary>Services (with two pods each) added around Bookinfo, so savings are measured against a realistic mesh.</summary>
    public int ExtraServices { get; init; } = 1000;

    /// <summary>Give up (exit 1) if the loop has not converged by then.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>Leave everything running after the demo, until Ctrl+C.</summary>
    public bool KeepRunning { get; init; }
}
