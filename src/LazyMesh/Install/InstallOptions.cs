using LazyMesh.Mesh;
using LazyMesh.Routing;

namespace LazyMesh.Install;

/// <summary>What <c>lazymesh install</c> renders: image, namespaces, replicas, sizes and the Istio it wires into.</summary>
public sealed record InstallOptions
{
    public const string DefaultImage = "ghcr.io/lazymesh/lazymesh:latest";
    public const string ControllerName = "lazymesh-controller";
    public const string FallbackName = FallbackRoutingOptions.DefaultServiceName;
    public const string StatusRoleName = "lazymesh-status";

    /// <summary>The Role (and RoleBinding) in istiod's namespace that lets the controller and the fallback read MeshConfig.</summary>
    public const string MeshConfigRoleName = "lazymesh-meshconfig";
    public const string TelemetryName = "lazymesh-access-logs";
    public const string HttpProviderName = "lazymesh-als-http";
    public const string TcpProviderName = "lazymesh-als-tcp";
    public const string AlsPortName = "grpc-als";
    public const string MetricsPortName = "http-metrics";
    public const int AlsPort = 15800;
    public const int MetricsPort = 15801;
    public const int FallbackAdminPort = 8081;

    /// <summary>The image of both the controller and the fallback (one binary, two sub-commands).</summary>
    public string Image { get; init; } = DefaultImage;

    /// <summary>The controller's namespace (its Deployment, Service, Lease).</summary>
    public string Namespace { get; init; } = FallbackRoutingOptions.DefaultNamespace;

    /// <summary>The fallback's namespace (its Deployment and the Service the controller keeps in sync).</summary>
    public string FallbackNamespace { get; init; } = FallbackRoutingOptions.DefaultNamespace;

    public int ControllerReplicas { get; init; } = 2;

    public int FallbackReplicas { get; init; } = 2;

    public InstallProfile Profile { get; init; } = InstallProfile.Medium;

    /// <summary>Overrides the profile's controller resources.</summary>
    public ContainerResources? ControllerResources { get; init; }

    /// <summary>Overrides the profile's fallback resources.</summary>
    public ContainerResources? FallbackResources { get; init; }

    /// <summary>Istio's root namespace (meshConfig.rootNamespace): where the mesh-wide Telemetry goes and istiod's ConfigMap lives.</summary>
    public string IstioNamespace { get; init; } = "istio-system";

    /// <summary>The Istio revision to wire into and inject the fallback with; null or "default" for the default revision.</summary>
    public string? Revision { get; init; }

    public string ClusterDomain { get; init; } = MeshOptions.DefaultClusterDomain;

    public ContainerResources EffectiveControllerResources => ControllerResources ?? Profile.Controller;

    public ContainerResources EffectiveFallbackResources => FallbackResources ?? Profile.Fallback;

    /// <summary>Whether a non-default revision is targeted.</summary>
    public bool HasRevision => !string.IsNullOrEmpty(Revision) && Revision != "default";

    /// <summary>
    /// istiod's MeshConfig ConfigMap: <c>istio</c>, or <c>istio-REVISION</c> (istio/istio pilot/pkg/bootstrap/mesh.go
    /// getMeshConfigMapName), key <c>mesh</c> (pkg/config/mesh/kubemesh/watcher.go MeshConfigKey).
    /// </summary>
    public string MeshConfigMapName => HasRevision ? "istio-" + Revision : "istio";

    /// <summary>The controller Service's FQDN, the ALS target of the extension providers and the fallback.</summary>
    public string ControllerFqdn => $"{ControllerName}.{Namespace}.svc.{ClusterDomain}";

    public FallbackRoutingOptions Routing => new() { Namespace = FallbackNamespace, ClusterDomain = ClusterDomain };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        foreach (var (what, value) in new[] { ("--namespace", Namespace), ("--fallback-namespace", FallbackNamespace), ("--istio-namespace", IstioNamespace) })
        {
            if (!Rendering.KubernetesNames.IsDns1123Label(value))
            {
                throw new ArgumentException($"{what}: '{value}' is not a valid namespace name (lower-case letters, digits and '-', at most 63)");
            }
        }

        if (HasRevision && !Rendering.KubernetesNames.IsDns1123Label(Revision!))
        {
            throw new ArgumentException($"--revision: '{Revision}' is not a valid revision name");
        }

        if (string.IsNullOrWhiteSpace(Image) || Image.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"--image: '{Image}' is not an image reference");
        }

        if (ControllerReplicas < 1 || FallbackReplicas < 1)
        {
            throw new ArgumentException("--replicas and --fallback-replicas must be at least 1");
        }

        if (FallbackReplicas > Profile.FallbackMaxReplicas)
        {
            throw new ArgumentException($"--fallback-replicas {FallbackReplicas} is above the {Profile.Name} profile's autoscaling ceiling {Profile.FallbackMaxReplicas}");
        }
    }
}
