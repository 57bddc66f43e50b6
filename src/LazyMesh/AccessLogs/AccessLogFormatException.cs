namespace LazyMesh.AccessLogs;

/// <summary>An access-log format LazyMesh cannot read: bad syntax, or it lacks fields LazyMesh needs (<see cref="Missing"/>).</summary>
public sealed class AccessLogFormatException : Exception
{
    public AccessLogFormatException(string message, IReadOnlyList<string>? missing = null)
        : base(message)
    {
        Missing = missing ?? [];
    }

    /// <summary>The command operators (TEXT) or keys (JSON) the format would need to add.</summary>
    public IReadOnlyList<string> Missing { get; }
}
