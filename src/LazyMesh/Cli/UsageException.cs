namespace LazyMesh.Cli;

/// <summary>An argument cannot be used as given; the command exits with <see cref="CliExitCodes.Usage"/>.</summary>
public sealed class UsageException(string message) : Exception(message);
