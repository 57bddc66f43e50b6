using Microsoft.Extensions.Logging;

namespace LazyMesh.Kubernetes.Informers;

public sealed partial class KubernetesInventory
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Kubernetes inventory synced: {Objects} objects, {Workloads} workloads, {Services} services, index built in {BuildMs} ms")]
    private static partial void LogReady(ILogger logger, int objects, int workloads, int services, long buildMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "mesh index rebuilt: {Workloads} workloads, {Services} services in {BuildMs} ms")]
    private static partial void LogRebuilt(ILogger logger, int workloads, int services, long buildMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "mesh index rebuild failed, keeping the previous index: {Reason}")]
    private static partial void LogRebuildFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Changes} pod changes rebuild the mesh index whole: {Reason}")]
    private static partial void LogRefusedByParts(ILogger logger, int changes, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "a Reloaded handler failed: {Reason}")]
    private static partial void LogHandlerFailed(ILogger logger, string reason);
}
