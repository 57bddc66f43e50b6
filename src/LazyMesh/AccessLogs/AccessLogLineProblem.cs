namespace LazyMesh.AccessLogs;

/// <summary>A line that was not decoded: where it is (source name and 1-based line number), what it was, and why.</summary>
public sealed record AccessLogLineProblem(string Source, long LineNumber, AccessLogLineKind Kind, string Reason)
{
    public override string ToString() => $"{Source}:{LineNumber}: {Reason}";
}
