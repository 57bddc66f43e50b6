using System.CommandLine;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.Rendering;

namespace LazyMesh.Cli;

/// <summary>Options shared by several commands, and their validation.</summary>
public static class CommonOptions
{
    public static Option<string[]> Inventory(bool required = true) => new("--inventory", "-i")
    {
        Description = "Kubernetes/Istio objects: files, directories (recursive) or - for stdin, as `kubectl get -o yaml|json` prints them",
        Required = required,
        AllowMultipleArgumentsPerToken = true,
        Arity = required ? ArgumentArity.OneOrMore : ArgumentArity.ZeroOrMore,
    };

    public static Option<string[]> AccessLogs(bool required = true) => new("--access-log", "-l")
    {
        Description = "Istio access-log files (TEXT or JSON encoding, .gz allowed) or - for stdin",
        Required = required,
        AllowMultipleArgumentsPerToken = true,
        Arity = required ? ArgumentArity.OneOrMore : ArgumentArity.ZeroOrMore,
    };

    public static Option<string[]> AccessLogFormat() => new("--log-format")
    {
        Description = "The access-log format the mesh uses, when customised: an Envoy format string (MeshConfig accessLogFormat, "
            + "Telemetry provider envoyFileAccessLog.logFormat.text), a JSON object of labels, or a file with the istio ConfigMap, "
            + "a MeshConfig or Telemetry (repeatable). Istio's default formats (1.1 onwards) are always tried too. Default: istio",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The formats of <c>--log-format</c>; a format LazyMesh cannot use is a usage error naming what is missing.</summary>
    public static LazyMesh.AccessLogs.AccessLogFormatSet AccessLogFormats(string[]? values)
    {
        try
        {
            return LazyMesh.AccessLogs.AccessLogFormatLoader.Load(values);
        }
        catch (LazyMesh.AccessLogs.AccessLogFormatException e)
        {
            throw new UsageException($"--log-format: {e.Message}");
        }
    }

    public static Option<string> ClusterDomain() => new("--cluster-domain")
    {
        Description = "The cluster's DNS domain",
        DefaultValueFactory = _ => Mesh.MeshOptions.DefaultClusterDomain,
    };

    public static Option<string?> MeshConfigFile() => new("--mesh-config")
    {
        Description = "Istio MeshConfig YAML (the istio ConfigMap's data.mesh, or the whole ConfigMap); default: the istio ConfigMap in the inventory, else Istio's defaults",
    };

    public static Option<bool> FallbackRouting(string description) => new("--fallback-routing") { Description = description };

    public static Option<string> FallbackNamespace() => new("--fallback-namespace")
    {
        Description = "Namespace of the fallback proxy's Service",
        DefaultValueFactory = _ => Routing.FallbackRoutingOptions.DefaultNamespace,
    };

    /// <summary>Mesh options from <c>--cluster-domain</c> and <c>--mesh-config</c> (read now: a bad file is a usage error naming it).</summary>
    public static Mesh.MeshOptions MeshOptions(string clusterDomain, string? meshConfigPath)
    {
        if (meshConfigPath is null)
        {
            return new Mesh.MeshOptions { ClusterDomain = clusterDomain };
        }

        RequireExisting("--mesh-config", [meshConfigPath]);
        try
        {
            return new Mesh.MeshOptions { ClusterDomain = clusterDomain, MeshConfig = MeshConfigParser.Load(meshConfigPath) };
        }
        catch (Inventory.InventoryException e)
        {
            throw new UsageException($"--mesh-config: {e.Message}");
        }
    }

    public static Option<string[]> BaselineHosts() => new("--baseline-host")
    {
        Description = "A host every generated Sidecar imports (repeatable; default istio-system/*)",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<int> MaxHostsPerWorkload() => new("--max-hosts")
    {
        Description = "Cap on learned hosts per workload",
        DefaultValueFactory = _ => DependencyStore.DefaultMaxHostsPerWorkload,
    };

    /// <summary>Every path must exist (or be <c>-</c>); a missing one is an unusable argument.</summary>
    public static void RequireExisting(string option, IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            if (path != "-" && !File.Exists(path) && !Directory.Exists(path))
            {
                throw new UsageException($"{option}: '{path}' does not exist");
            }
        }
    }

    public static RenderOptions RenderOptions(string[]? baselineHosts)
    {
        if (baselineHosts is null || baselineHosts.Length == 0)
        {
            return Rendering.RenderOptions.Default;
        }

        foreach (var host in baselineHosts)
        {
            if (SidecarHosts.Validate(host) is { } error)
            {
                throw new UsageException($"--baseline-host '{host}': {error}");
            }
        }

        return Rendering.RenderOptions.Default with { BaselineHosts = baselineHosts };
    }
}
