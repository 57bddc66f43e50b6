using System.Globalization;

namespace LazyMesh.ChurnBench;

/// <summary>The names and addresses InformerBench's ClusterSeeder gives the seeded cluster (kept in step with it).</summary>
internal sealed record ClusterShape(int Namespaces, int Deployments, int Pods, int Services)
{
    /// <summary>The namespace of Deployment <paramref name="deployment"/> (and of its pods and Services).</summary>
    public string Namespace(int deployment) => Str($"ns-{deployment % Namespaces}");

    /// <summary>The <paramref name="k"/>-th seeded pod of Deployment <paramref name="deployment"/>.</summary>
    public string SeededPodName(int deployment, int k) => Str($"app-{deployment}-7d9f-{k:x5}");

    /// <summary>The IP of the first seeded pod of Deployment <paramref name="deployment"/>.</summary>
    public string SeededPodIp(int deployment) => Str($"10.{(deployment >> 16) & 255}.{(deployment >> 8) & 255}.{deployment & 255}");

    /// <summary>Service <paramref name="service"/>'s FQDN (it selects Deployment <c>service % Deployments</c>).</summary>
    public string ServiceHost(int service) => Str($"svc-{service}.{Namespace(service % Deployments)}.svc.cluster.local");

    public string ServiceIp(int service) => Str($"10.96.{(service >> 8) & 255}.{service & 255}");

    private static string Str(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
