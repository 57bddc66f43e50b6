namespace LazyMesh.AccessLogs;

/// <summary>Receives one line (without its terminator) and its 1-based number; the span is valid only during the call.</summary>
public delegate void AccessLogLineCallback(ReadOnlySpan<char> line, long lineNumber);
