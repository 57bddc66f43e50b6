using Microsoft.Extensions.Logging;

namespace LazyMesh.Rendering;

/// <summary>How every sink logs what rendering warned about (skipped workloads, dropped hosts), in both controller modes.</summary>
public static partial class RenderLog
{
    public static void Warnings(ILogger logger, IEnumerable<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        foreach (var warning in warnings)
        {
            Warning(logger, warning);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void Warning(ILogger logger, string warning);
}
