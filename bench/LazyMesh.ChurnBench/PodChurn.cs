using System.Globalization;
using k8s;
using k8s.Models;

namespace LazyMesh.ChurnBench;

/// <summary>
/// Drives pod changes at a fixed rate through the API: in turn a new pod of an existing Deployment (create, then its
/// status with an IP), a seeded pod's IP changed (never a Deployment's first pod, whose IP the ALS sources use), and
/// the oldest churned pod deleted, so the pod count stays level.
/// Each is one change; calls run concurrently (at most <paramref name="maxInFlight"/>) so that a slow answer does not
/// lower the rate, and each change is due at its own time from the start (a late one does not push the rest back).
/// </summary>
internal sealed class PodChurn(IKubernetes client, int namespaces, int deployments, int seededPods, int maxInFlight = 256)
{
    private readonly Queue<(string Namespace, string Name)> _created = new();
    private readonly SemaphoreSlim _inFlight = new(maxInFlight);
    private int _sequence;
    private int _failures;
    private int _completed;

    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Changes whose API calls all answered (failed ones included).</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Time from a change's due time to its last API call answered (waiting for a free call slot included).</summary>
    public Percentiles CallLatency { get; private set; } = new();

    /// <summary>
    /// Runs <paramref name="perSecond"/> changes a second for <paramref name="duration"/>; returns the number started
    /// and how long the driving took until the last one answered.
    /// </summary>
    public async Task<(int Started, TimeSpan Elapsed)> RunAsync(int perSecond, TimeSpan duration, CancellationToken cancellationToken)
    {
        CallLatency = new Percentiles();
        if (perSecond <= 0)
        {
            await Task.Delay(duration, cancellationToken);
            return (0, duration);
        }

        var interval = TimeSpan.FromSeconds(1.0 / perSecond);
        var total = (int)(duration.TotalSeconds * perSecond);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var latency = CallLatency;
        var running = new List<Task>();
        for (var i = 0; i < total; i++)
        {
            var dueAt = interval * i;
            var wait = dueAt - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
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
                        latency.Add(clock.Elapsed - dueAt);
                        Interlocked.Increment(ref _completed);
                    }
                },
                cancellationToken));
        }

        await Task.WhenAll(running);
        return (total, clock.Elapsed);
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
                if (p < deployments)
                {
                    p += deployments; // a Deployment's first pod keeps its IP: NewDependencies sends from it
                }

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
