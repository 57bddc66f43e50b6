using Microsoft.Extensions.Logging;

namespace LazyMesh.Sinks;

/// <summary>What every writer into a <see cref="DirectorySink"/> logs.</summary>
public static partial class DirectorySinkLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "not writing {Kind} to {Path}: the file there is not LazyMesh's (no managed-by label, or another object); move it away to let LazyMesh write")]
    public static partial void NotOurs(ILogger logger, string kind, string path);
}
