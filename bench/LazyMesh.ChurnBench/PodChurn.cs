using System.Globalization;
using k8s;
using k8s.Models;

namespace LazyMesh.ChurnBench;

/// <summary>
/// Drives pod changes at a fixed rate through the API: in turn a new pod of an existing Deployment (create, then its
/// status with an IP), a seeded pod's IP changed, and the oldest churned pod deleted, so the pod count stays level.
/// Each is one change; calls run concurrently (at most 16) so that a slow answer does not lower the rate.
/// </summary>
internal sealed class PodChurn(IKubernetes client, int namespaces, int deployments, int seededPods)
{
    private readonly Queue<(string Namespace, string Name)> _created = new();
    private readonly SemaphoreSlim _inFlight = new(16);
    private int _sequence;
    private int _failures;

    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Runs <paramref name="perSecond"/> changes a second for <paramref name="duration"/>; returns the number started.</summary>
    public async Task<int> RunAsync(int perSecond, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (perSecond <= 0)
        {
            await Task.Delay(duration, cancellationToken);
            return 0;
        }

        var interval = TimeSpan.FromSeconds(1.0 / perSecond);
        var total = (int)(duration.TotalSeconds * perSecond);
        var started = DateTime.UtcNow;
        var running = new List<Task>();
        for (var i = 0; i < total; i++)
        {
            var due = started + (interval * i) - DateTime.UtcNow;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }

            await _inFlight.WaitAsync(cancellationToken);
            running.Add(Task.Run(
                async () =>
                {
                    try
                    {
                        await OneAsync(Interlocked.Increment(ref _sequence));
                    }
                    catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or InvalidOperationException)
                    {
                        Interlocked.Increment(ref _failures);
                    }
                    finally
                    {
                        _inFlight.Release();
                    }
                },
                cancellationToken));
        }

        await Task.WhenAll(running);
        return total;
    }

    private async Task OneAsync(int n)
    {
        switch (n % 3)
        {
            case 0:
                await CreateAsync(n);
                break;
            case 1:
                var p = (n * 7919) % seededPods;
                var d = p % deployments;
                await SetIpAsync(Ns(d), $"app-{d}-7d9f-{p / deployments:x5}", Ip(n));
                break;
            default:
                (string Namespace, string Name) oldest;
                lock (_created)
                {
                    if (!_created.TryDequeue(out oldest))
                    {
                        return;
                    }
                }

                await client.CoreV1.DeleteNamespacedPodAsync(oldest.Name, oldest.Namespace);
                break;
        }
    }

    private async Task CreateAsync(int n)
    {
        var d = n % deployments;
        var ns = Ns(d);
        var name = $"app-{d}-7d9f-churn{n:x6}";
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string>
                {
                    ["app"] = $"app-{d}",
                    ["pod-template-hash"] = "7d9f",
                    ["security.istio.io/tlsMode"] = "istio",
                    ["service.istio.io/canonical-name"] = $"app-{d}",
                },
                Annotations = new Dictionary<string, string> { ["sidecar.istio.io/status"] = "{\"containers\":[\"istio-proxy\"]}" },
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = $"app-{d}-7d9f", Uid = $"rs-{d}", Controller = true }],
            },
            Spec = new V1PodSpec
            {
                Containers =
                [
                    new V1Container { Name = "app", Image = "registry.example/app:1.0", Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }] },
                    new V1Container { Name = "istio-proxy", Image = "docker.io/istio/proxyv2:1.24.0" },
                ],
            },
        };
        await client.CoreV1.CreateNamespacedPodAsync(pod, ns);
        await SetIpAsync(ns, name, Ip(n));
        lock (_created)
        {
            _created.Enqueue((ns, name));
        }
    }

    private Task SetIpAsync(string ns, string name, string ip)
    {
        var patch = new V1Patch(
            $$$"""{"status":{"phase":"Running","podIP":"{{{ip}}}","podIPs":[{"ip":"{{{ip}}}"}],"conditions":[{"type":"Ready","status":"True"}]}}""",
            V1Patch.PatchType.MergePatch);
        return client.CoreV1.PatchNamespacedPodStatusAsync(patch, name, ns);
    }

    private string Ns(int deployment) => string.Create(CultureInfo.InvariantCulture, $"ns-{deployment % namespaces}");

    /// <summary>An IP outside the seeded range (10.0-0.x.y), unique per change.</summary>
    private static string Ip(int n) => string.Create(CultureInfo.InvariantCulture, $"10.{100 + ((n >> 16) & 63)}.{(n >> 8) & 255}.{n & 255}");
}
