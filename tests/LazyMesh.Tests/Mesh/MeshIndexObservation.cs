using System.Globalization;
using LazyMesh.Mesh;

namespace LazyMesh.Tests.Mesh;

/// <summary>
/// Everything an index answers, as lines: its lists, and every lookup (pods by IP, destinations by address, host and
/// name, workloads by key) over the IPs, ports and names either index knows. Two indexes are observably equal when
/// their lines are.
/// </summary>
internal static class MeshIndexObservation
{
    private static readonly int[] Ports = [80, 8080, 9090];
    private static readonly IpKey Unknown = IpKey.TryParse("10.0.0.250", out var ip) ? ip : default;

    public static List<string> Lines(MeshIndex index, MeshIndex other)
    {
        var lines = new List<string>();
        foreach (var workload in index.Workloads)
        {
            lines.Add($"workload {Workload(workload)}");
        }

        foreach (var pod in index.Pods)
        {
            lines.Add($"pod {Pod(pod)}");
        }

        foreach (var service in index.Services)
        {
            lines.Add($"service {Service(service)}");
        }

        lines.AddRange(index.Warnings.Select(w => $"warning {w}"));
        var ips = index.Pods.Concat(other.Pods).SelectMany(p => p.Ips)
            .Concat(index.Services.Concat(other.Services).SelectMany(s => s.Addresses))
            .Append(Unknown)
            .Distinct().OrderBy(ip => ip.ToString(), StringComparer.Ordinal);
        foreach (var ip in ips)
        {
            var match = index.FindPod(ip, out var pod);
            lines.Add($"FindPod {ip} {match} {(pod is null ? "-" : Pod(pod))} {(pod is null ? "" : Workload(pod.Workload))}");
            foreach (var port in Ports)
            {
                lines.Add($"FindByAddress {ip}:{port} {Service(index.FindByAddress(ip, port))}");
                lines.Add($"ResolveName {ip}:{port} {Service(index.ResolveName($"{ip}:{port}", "ns-a"))}");
            }
        }

        foreach (var service in index.Services.Concat(other.Services))
        {
            lines.Add($"FindByHost {service.Host} {Service(index.FindByHost(service.Host))}");
            lines.Add($"ResolveName {service.Name} {Service(index.ResolveName(service.Name, service.Namespace))}");
            lines.Add($"FindByHost pod.{service.Host} {Service(index.FindByHost("pod." + service.Host))}");
        }

        foreach (var workload in index.Workloads.Concat(other.Workloads))
        {
            var found = index.FindWorkload(workload.Key);
            lines.Add($"FindWorkload {workload.Key} {(found is null ? "-" : Workload(found))}");
            lines.Add($"pods of {workload.Key}: {(found is null ? "-" : string.Join(",", found.Pods.Select(p => ReferenceEquals(p.Workload, found) ? p.Name : $"{p.Name}(other workload instance)")))}");
        }

        return lines;
    }

    private static string Workload(Workload w) =>
        $"{w.Key} [{string.Join(",", w.SelectorLabels.Select(l => $"{l.Key}={l.Value}"))}] note={w.SelectorNote} shares={string.Join(",", w.SharesPodsWith)} " +
        $"annotations={string.Join(",", w.Annotations.OrderBy(a => a.Key, StringComparer.Ordinal))} pods={string.Join(",", w.Pods.Select(p => p.Name))}";

    private static string Pod(PodInfo p) =>
        $"{p} ips={string.Join(",", p.Ips)} {p.Phase} ready={p.Ready} host={p.HostNetwork} sa={p.ServiceAccount} terminating={p.Terminating} " +
        $"created={p.Created.ToString("O", CultureInfo.InvariantCulture)} proxy={p.Proxy} workload={p.Workload.Key} labels={string.Join(",", p.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))}";

    private static string Service(MeshService? s) => s is null ? "-" :
        $"{s.SidecarHost} {s.Kind} addresses={string.Join(",", s.Addresses)} ports={string.Join(",", s.Ports.Select(p => $"{p.Port}/{p.Name}/{p.Protocol}/{p.ReadyEndpoints}/{p.TargetPort}"))} " +
        $"selector={(s.Selector is null ? "-" : string.Join(",", s.Selector))}";
}
