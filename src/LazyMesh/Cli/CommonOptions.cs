using System.CommandLine;
using LazyMesh.Learning;
using LazyMesh.Mesh;
using LazyMesh.Rendering;
using LazyMesh.Reporting;

namespace LazyMesh.Cli;

/// <summary>Options shared by several commands, and their validation.</summary>
public static class CommonOptions
{
    public static Option<string[]> Inventory(bool required = true) => PathList(
        "--inventory", "-i", "Kubernetes/Istio objects: files, directories (recursive) or - for stdin, as `kubectl get -o yaml|json` prints them", required);

    public static Option<string[]> AccessLogs(bool required = true) => PathList(
        "--access-log", "-l", "Istio access-log files (TEXT or JSON encoding, .gz allowed) or - for stdin", required);

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

    public static Option<string> IstioNamespace()
    {
        var option = new Option<string>("--istio-namespace")
        {
            Description = "istiod's namespace, where its MeshConfig ConfigMap istio is read (and watched on Kubernetes)",
            DefaultValueFactory = _ => Mesh.MeshConfig.DefaultRootNamespace,
        };
        option.Validators.Add(result =>
        {
            if (result.Tokens is [{ } token] && !Rendering.KubernetesNames.IsDns1123Label(token.Value))
            {
                result.AddError($"--istio-namespace: '{token.Value}' is not a namespace name (lower-case letters, digits and '-', at most 63)");
            }
        });
        return option;
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

    /// <summary>
    /// kubectl's <c>-o</c>: the output format, one of <paramref name="formats"/> (the first is the default).
    /// <c>--format</c> stays as an alias of the older spelling (not <c>-f</c>, which is a file in kubectl). <c>-o</c> is never
    /// a directory: that is <c>--output-dir</c>.
    /// </summary>
    public static Option<string> OutputFormat(params string[] formats)
    {
        var option = new Option<string>("--output", "-o", "--format")
        {
            Description = $"Output format: {string.Join(", ", formats)}",
            DefaultValueFactory = _ => formats[0],
            HelpName = string.Join("|", formats),
        };
        OnlyFormats(option, formats);
        return option;
    }

    /// <summary><c>-o</c> for a command whose default output is plain text (<c>version</c>): no default, one of <paramref name="formats"/>.</summary>
    public static Option<string?> OptionalOutputFormat(params string[] formats)
    {
        var option = new Option<string?>("--output", "-o")
        {
            Description = $"Output format: {string.Join(", ", formats)} (default: text)",
            HelpName = string.Join("|", formats),
        };
        OnlyFormats(option, formats);
        return option;
    }

    /// <summary>True when the user gave <paramref name="option"/> (not just its default).</summary>
    public static bool IsGiven(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    private static void OnlyFormats(Option option, string[] formats)
    {
        option.CompletionSources.Add(formats);
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && result.Tokens[^1].Value is var value && !formats.Contains(value, StringComparer.Ordinal))
            {
                var hint = value.Contains('/', StringComparison.Ordinal) || value.Contains('.', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal)
                    ? " (-o is the output format, as in kubectl; a directory is --output-dir)"
                    : string.Empty;
                result.AddError($"--output: '{value}' is not one of {string.Join(", ", formats)}{hint}");
            }
        });
    }

    /// <summary>
    /// A list of paths after one flag (<c>-i a.yaml b.yaml</c>). Such a list takes every following word, so a mistyped
    /// option after it (<c>-i inv.yaml --bogus</c>) would be reported as a missing file; it is reported as the unknown
    /// option it is.
    /// </summary>
    private static Option<string[]> PathList(string name, string alias, string description, bool required)
    {
        var option = new Option<string[]>(name, alias)
        {
            Description = description,
            Required = required,
            AllowMultipleArgumentsPerToken = true,
            Arity = required ? ArgumentArity.OneOrMore : ArgumentArity.ZeroOrMore,
        };
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.Length > 1 && token.Value[0] == '-' && !File.Exists(token.Value) && !Directory.Exists(token.Value))
                {
                    result.AddError($"unknown option '{token.Value}' (after {name})");
                }
            }
        });
        return option;
    }

    public static Option<string?> Prometheus() => new("--prometheus")
    {
        Description = "Also learn from Istio's standard metrics (istio_requests_total, istio_tcp_connections_opened_total, istio_tcp_sent/received_bytes_total) in this Prometheus, e.g. http://prometheus.istio-system:9090",
    };

    public static Option<string> PrometheusWindow(string defaultWindow) => new("--window", "--prometheus-window")
    {
        Description = "With --prometheus: the time window the metrics are read over (Prometheus duration: 7d, 12h, 90m)",
        DefaultValueFactory = _ => defaultWindow,
    };

    /// <summary>The <c>--prometheus</c> source, validated; null when no URL is given.</summary>
    public static MetricsSource.MetricsPollingOptions? MetricsPolling(string? url, string window, TimeSpan interval)
    {
        if (url is null)
        {
            return null;
        }

        if (!MetricsSource.PrometheusClient.TryParseAddress(url, out var address))
        {
            throw new UsageException($"--prometheus: '{url}' is not an http:// or https:// URL");
        }

        if (!MetricsSource.PrometheusWindow.TryParse(window, out var parsed))
        {
            throw new UsageException($"--window: '{window}' is not a Prometheus duration like 7d, 12h or 90m");
        }

        return new MetricsSource.MetricsPollingOptions(address, parsed, interval);
    }

    public static Option<string?> CostModel() => new("--cost-model")
    {
        Description = "A JSON or YAML file overriding the cost model's figures (docs/cost-model.md)",
    };

    /// <summary>The default cost model, or the one in <paramref name="path"/>; a bad file is a usage error naming it.</summary>
    public static EnvoyCostModel LoadCostModel(string? path)
    {
        if (path is null)
        {
            return EnvoyCostModel.Default;
        }

        try
        {
            return EnvoyCostModelFile.Load(path);
        }
        catch (InvalidDataException ex)
        {
            throw new UsageException($"--cost-model: {ex.Message}");
        }
    }

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
