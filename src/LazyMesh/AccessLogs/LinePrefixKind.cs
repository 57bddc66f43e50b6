namespace LazyMesh.AccessLogs;

/// <summary>What a log collector put in front of an access-log line (stripped before parsing).</summary>
public enum LinePrefixKind : byte
{
    /// <summary>No prefix: the line is as Envoy wrote it.</summary>
    None,

    /// <summary>CRI (containerd, CRI-O) log files under <c>/var/log/pods</c>: <c>2022-07-22T12:24:13.9Z stdout F </c>.</summary>
    Cri,

    /// <summary>Docker's json-file driver: <c>{"log":"...\n","stream":"stdout","time":"..."}</c>.</summary>
    DockerJson,

    /// <summary><c>kubectl logs --prefix</c>: <c>[pod/NAME/CONTAINER] </c>.</summary>
    KubectlPrefix,

    /// <summary><c>kubectl logs --timestamps</c>: an RFC 3339 time and a space.</summary>
    Timestamp,

    /// <summary>stern: <c>POD CONTAINER </c>, or <c>NAMESPACE POD CONTAINER </c> with <c>--all-namespaces</c>.</summary>
    Stern,
}
