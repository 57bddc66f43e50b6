namespace LazyMesh.Als;

public sealed class AlsReplayOptions
{
    /// <summary>Sent as <c>identifier.node.id</c> in the stream's first message.</summary>
    public string NodeId { get; set; } = "lazymesh-replay";

    /// <summary>Sent as <c>identifier.log_name</c> in the stream's first message.</summary>
    public string LogName { get; set; } = "lazymesh-replay";

    /// <summary>Entries per message at most; a message holds only HTTP or only TCP entries.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Entries per second at most; null for as fast as possible.</summary>
    public double? MaxEntriesPerSecond { get; set; }
}
