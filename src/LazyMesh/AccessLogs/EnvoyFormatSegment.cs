namespace LazyMesh.AccessLogs;

/// <summary>A piece of an Envoy format string: literal text, or a command operator (then <see cref="Literal"/> is null).</summary>
public readonly record struct EnvoyFormatSegment(string? Literal, EnvoyCommandOperator? Operator);
