using LazyMesh.AccessLogs;

namespace LazyMesh.Cli;

/// <summary>Thrown under <c>--strict</c> at the first malformed or too-long access-log line.</summary>
public sealed class StrictModeException(AccessLogLineProblem problem) : Exception($"{problem} (--strict stops at the first bad line)");
