using k8s.Models;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>Builds core/v1 Events about LazySidecars.</summary>
public static class KubeEvents
{
    public const string ConflictReason = "Conflict";
    public const string DependencyLearnedReason = "DependencyLearned";
    public const string Component = "lazymesh";

    public static Corev1Event Create(EventTarget target, string type, string reason, string message, DateTimeOffset now, string identity) => new()
    {
        Metadata = new V1ObjectMeta { GenerateName = target.Name + ".", NamespaceProperty = target.Namespace },
        InvolvedObject = target.Reference(),
        Type = type,
        Reason = reason,
        Message = message.Length > 1024 ? message[..1021] + "..." : message,
        Source = new V1EventSource { Component = Component },
        ReportingComponent = Component,
        ReportingInstance = identity.Length > 128 ? identity[..128] : identity,
        FirstTimestamp = now.UtcDateTime,
        LastTimestamp = now.UtcDateTime,
        Count = 1,
    };
}
