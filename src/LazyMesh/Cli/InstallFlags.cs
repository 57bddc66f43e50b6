using System.CommandLine;
using LazyMesh.Install;

namespace LazyMesh.Cli;

/// <summary>The flags <c>install</c> and <c>uninstall</c> share: what was (or is to be) installed where.</summary>
public sealed class InstallFlags
{
    private readonly Option<string> _image = new("--image") { Description = "Image of the controller and the fallback", DefaultValueFactory = _ => InstallOptions.DefaultImage };
    private readonly Option<string> _namespace = new("--namespace", "-n") { Description = "The controller's namespace", DefaultValueFactory = _ => Routing.FallbackRoutingOptions.DefaultNamespace };
    private readonly Option<string?> _fallbackNamespace = new("--fallback-namespace") { Description = "The fallback's namespace (default: --namespace)" };
    private readonly Option<int> _replicas = new("--replicas") { Description = "Controller replicas (leader-elected; all accept ALS)", DefaultValueFactory = _ => 2 };
    private readonly Option<int> _fallbackReplicas = new("--fallback-replicas") { Description = "Fallback replicas (the autoscaler's minimum)", DefaultValueFactory = _ => 2 };
    private readonly Option<string> _profile = new("--profile") { Description = "Mesh size: small, medium (up to ~20k pods) or large (50k pods)", DefaultValueFactory = _ => InstallProfile.Medium.Name };
    private readonly Option<string?> _controllerCpu = new("--controller-cpu") { Description = "Controller CPU request (overrides the profile)" };
    private readonly Option<string?> _controllerMemory = new("--controller-memory") { Description = "Controller memory request (overrides the profile)" };
    private readonly Option<string?> _controllerMemoryLimit = new("--controller-memory-limit") { Description = "Controller memory limit (overrides the profile)" };
    private readonly Option<string?> _fallbackCpu = new("--fallback-cpu") { Description = "Fallback CPU request (overrides the profile)" };
    private readonly Option<string?> _fallbackMemory = new("--fallback-memory") { Description = "Fallback memory request (overrides the profile)" };
    private readonly Option<string?> _fallbackMemoryLimit = new("--fallback-memory-limit") { Description = "Fallback memory limit (overrides the profile)" };
    private readonly Option<string> _istioNamespace = new("--istio-namespace") { Description = "Istio's root namespace (Telemetry, istiod's ConfigMap)", DefaultValueFactory = _ => "istio-system" };
    private readonly Option<string?> _revision = new("--revision") { Description = "Istio revision to wire into and inject the fallback with" };
    private readonly Option<string> _clusterDomain = CommonOptions.ClusterDomain();

    public InstallFlags()
    {
        _profile.AcceptOnlyFromAmong([.. InstallProfile.All.Select(p => p.Name)]);
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _image, _namespace, _fallbackNamespace, _replicas, _fallbackReplicas, _profile, _controllerCpu, _controllerMemory, _controllerMemoryLimit, _fallbackCpu, _fallbackMemory, _fallbackMemoryLimit, _istioNamespace, _revision, _clusterDomain })
        {
            command.Options.Add(option);
        }
    }

    public InstallOptions Read(ParseResult parse)
    {
        var profile = InstallProfile.Find(parse.GetRequiredValue(_profile))!;
        var ns = parse.GetRequiredValue(_namespace);
        var options = new InstallOptions
        {
            Image = parse.GetRequiredValue(_image),
            Namespace = ns,
            FallbackNamespace = parse.GetValue(_fallbackNamespace) ?? ns,
            ControllerReplicas = parse.GetValue(_replicas),
            FallbackReplicas = parse.GetValue(_fallbackReplicas),
            Profile = profile,
            ControllerResources = Resources(profile.Controller, "--controller", parse.GetValue(_controllerCpu), parse.GetValue(_controllerMemory), parse.GetValue(_controllerMemoryLimit)),
            FallbackResources = Resources(profile.Fallback, "--fallback", parse.GetValue(_fallbackCpu), parse.GetValue(_fallbackMemory), parse.GetValue(_fallbackMemoryLimit)),
            IstioNamespace = parse.GetRequiredValue(_istioNamespace),
            Revision = parse.GetValue(_revision),
            ClusterDomain = parse.GetRequiredValue(_clusterDomain),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        return options;
    }

    private static ContainerResources? Resources(ContainerResources defaults, string prefix, string? cpu, string? memory, string? limit)
    {
        if (cpu is null && memory is null && limit is null)
        {
            return null;
        }

        return new ContainerResources(
            Quantity(prefix + "-cpu", cpu) ?? defaults.CpuRequest,
            Quantity(prefix + "-memory", memory) ?? defaults.MemoryRequest,
            Quantity(prefix + "-memory-limit", limit) ?? defaults.MemoryLimit);
    }

    private static string? Quantity(string option, string? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            _ = new k8s.Models.ResourceQuantity(value).ToDecimal();
            return value;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new UsageException($"{option}: '{value}' is not a Kubernetes quantity like 500m, 1, 512Mi or 2Gi");
        }
    }
}
