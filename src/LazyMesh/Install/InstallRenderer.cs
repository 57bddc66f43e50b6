using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using LazyMesh.Cli;
using LazyMesh.Rendering;
using LazyMesh.Routing;

namespace LazyMesh.Install;

/// <summary>
/// Every object LazyMesh needs on a cluster, in apply order: namespaces, the LazySidecar CRD, ServiceAccounts and
/// RBAC, the controller (Deployment, Service, PodDisruptionBudget), the fallback (Deployment, Service,
/// PodDisruptionBudget, HorizontalPodAutoscaler) and the Istio Telemetry. MeshConfig is not an object of its own
/// (see <see cref="IstioWiring"/>). Pure: the same options give the same objects.
/// </summary>
public static class InstallRenderer
{
    public const string PartOfLabel = "app.kubernetes.io/part-of";
    public const string ComponentLabel = "app.kubernetes.io/component";
    public const string FieldManager = "lazymesh-install";
    private const int NonRootUser = 65532;

    /// <summary>The labels of every rendered object.</summary>
    public static JsonObject Labels(string component) => new()
    {
        [LazyMeshMetadata.ManagedByLabel] = LazyMeshMetadata.ManagedByValue,
        [PartOfLabel] = "lazymesh",
        [ComponentLabel] = component,
    };

    public static IReadOnlyList<JsonObject> Render(InstallOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var objects = new List<object>();
        foreach (var ns in new[] { options.Namespace, options.FallbackNamespace }.Distinct(StringComparer.Ordinal))
        {
            objects.Add(new V1Namespace
            {
                ApiVersion = "v1",
                Kind = "Namespace",
                Metadata = Meta(ns, null, "namespace", annotations: new Dictionary<string, string>
                {
                    // LazyMesh never narrows its own namespaces: the fallback needs the full mesh config.
                    [LazyMeshMetadata.EnabledKey] = "false",
                }),
            });
        }

        objects.AddRange(Crds());
        objects.Add(ServiceAccount(InstallOptions.ControllerName, options.Namespace, "controller"));
        objects.Add(ServiceAccount(InstallOptions.FallbackName, options.FallbackNamespace, "fallback"));
        objects.AddRange(Rbac(options));
        objects.Add(ControllerDeployment(options));
        objects.Add(ControllerService(options));
        objects.Add(Pdb(InstallOptions.ControllerName, options.Namespace, "controller"));
        objects.Add(FallbackDeployment(options));
        objects.Add(FallbackService(options));
        objects.Add(Pdb(InstallOptions.FallbackName, options.FallbackNamespace, "fallback"));
        objects.Add(FallbackAutoscaler(options));
        objects.Add(IstioWiring.Telemetry(options));
        return [.. objects.Select(ToJson)];
    }

    /// <summary>The rendered objects as one multi-document YAML stream.</summary>
    public static string RenderYaml(InstallOptions options, string? header = null) =>
        ResourceYaml.SerializeAll(Render(options), header);

    public static JsonObject ToJson(object resource) => resource switch
    {
        JsonObject json => json,
        _ => JsonNode.Parse(KubernetesJson.Serialize(resource)) as JsonObject ?? throw new ArgumentException("not an object", nameof(resource)),
    };

    private static IEnumerable<JsonObject> Crds() =>
        YamlJson.ParseAll(CrdCommand.Manifest()).OfType<JsonObject>();

    private static V1ObjectMeta Meta(string name, string? ns, string component, IDictionary<string, string>? annotations = null) => new()
    {
        Name = name,
        NamespaceProperty = ns,
        Labels = Labels(component).ToDictionary(p => p.Key, p => (string)p.Value!),
        Annotations = annotations,
    };

    private static Dictionary<string, string> Selector(string app) => new() { ["app"] = app };

    private static V1ServiceAccount ServiceAccount(string name, string ns, string component) => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = Meta(name, ns, component),
    };

    private static IEnumerable<object> Rbac(InstallOptions o)
    {
        var controllerSubject = new Rbacv1Subject { Kind = "ServiceAccount", Name = InstallOptions.ControllerName, NamespaceProperty = o.Namespace };
        var fallbackSubject = new Rbacv1Subject { Kind = "ServiceAccount", Name = InstallOptions.FallbackName, NamespaceProperty = o.FallbackNamespace };
        yield return ClusterRole(InstallOptions.ControllerName, "controller", InstallRbac.ControllerClusterRules(o));
        yield return ClusterRoleBinding(InstallOptions.ControllerName, "controller", controllerSubject);
        yield return ClusterRole(InstallOptions.FallbackName, "fallback", InstallRbac.InventoryRules());
        yield return ClusterRoleBinding(InstallOptions.FallbackName, "fallback", fallbackSubject);
        yield return ClusterRole(InstallOptions.StatusRoleName, "status", InstallRbac.StatusRules());
        yield return Role(InstallOptions.ControllerName + "-leader", o.Namespace, InstallRbac.ControllerLeaseRules());
        yield return RoleBinding(InstallOptions.ControllerName + "-leader", o.Namespace, controllerSubject);
        yield return Role(InstallOptions.ControllerName + "-fallback-service", o.FallbackNamespace, InstallRbac.ControllerFallbackServiceRules());
        yield return RoleBinding(InstallOptions.ControllerName + "-fallback-service", o.FallbackNamespace, controllerSubject);
        yield return Role(InstallOptions.MeshConfigRoleName, o.IstioNamespace, InstallRbac.MeshConfigRules());
        yield return RoleBinding(InstallOptions.MeshConfigRoleName, o.IstioNamespace, controllerSubject, fallbackSubject);
    }

    private static V1ClusterRole ClusterRole(string name, string component, IList<V1PolicyRule> rules) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "ClusterRole",
        Metadata = Meta(name, null, component),
        Rules = rules,
    };

    private static V1ClusterRoleBinding ClusterRoleBinding(string name, string component, Rbacv1Subject subject) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "ClusterRoleBinding",
        Metadata = Meta(name, null, component),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = name },
        Subjects = [subject],
    };

    private static V1Role Role(string name, string ns, IList<V1PolicyRule> rules) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "Role",
        Metadata = Meta(name, ns, "controller"),
        Rules = rules,
    };

    private static V1RoleBinding RoleBinding(string name, string ns, params Rbacv1Subject[] subjects) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "RoleBinding",
        Metadata = Meta(name, ns, "controller"),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = name },
        Subjects = subjects,
    };

    private static V1Deployment ControllerDeployment(InstallOptions o)
    {
        var resources = o.EffectiveControllerResources;
        var startupPeriod = 5;
        var args = new List<string>
        {
            "controller",
            "--als-listen", $"0.0.0.0:{InstallOptions.AlsPort}",
            "--http-listen", $"0.0.0.0:{InstallOptions.MetricsPort}",
            "--lease-namespace", o.Namespace,
            "--fallback-namespace", o.FallbackNamespace,
            "--cluster-domain", o.ClusterDomain,
            "--istio-namespace", o.IstioNamespace,
            "--log-format", "json",
        };
        var container = Container("controller", o.Image, args, resources);
        container.Ports =
        [
            new V1ContainerPort { Name = InstallOptions.AlsPortName, ContainerPort = InstallOptions.AlsPort, Protocol = "TCP" },
            new V1ContainerPort { Name = InstallOptions.MetricsPortName, ContainerPort = InstallOptions.MetricsPort, Protocol = "TCP" },
        ];

        // /healthz is liveness (the process serves), /readyz readiness (informers synced). The startupProbe holds
        // liveness off while the informers list the cluster: 17-64 s at 50k pods (docs/benchmarks.md), so a
        // profile's StartupSeconds leaves ample room.
        container.StartupProbe = Probe("/healthz", InstallOptions.MetricsPort, startupPeriod, Math.Max(1, o.Profile.StartupSeconds / startupPeriod));
        container.LivenessProbe = Probe("/healthz", InstallOptions.MetricsPort, 10, 6);
        container.ReadinessProbe = Probe("/readyz", InstallOptions.MetricsPort, 5, 3);
        var template = PodTemplate(InstallOptions.ControllerName, "controller", InstallOptions.ControllerName, container, new Dictionary<string, string>
        {
            // The controller receives every sidecar's ALS stream; it runs outside the mesh, like istiod.
            ["sidecar.istio.io/inject"] = "false",
        }, podAnnotations: new Dictionary<string, string>
        {
            ["prometheus.io/scrape"] = "true",
            ["prometheus.io/port"] = InstallOptions.MetricsPort.ToString(CultureInfo.InvariantCulture),
            ["prometheus.io/path"] = "/metrics",
        });
        return Deployment(InstallOptions.ControllerName, o.Namespace, "controller", o.ControllerReplicas, template, annotations: null);
    }

    private static V1Deployment FallbackDeployment(InstallOptions o)
    {
        var routing = o.Routing;
        var args = new List<string>
        {
            "fallback",
            "--listen", $"0.0.0.0:{routing.TargetPort}",
            "--http-listen", $"0.0.0.0:{InstallOptions.FallbackAdminPort}",
            "--als-target", $"{o.ControllerFqdn}:{InstallOptions.AlsPort}",
            "--fallback-namespace", o.FallbackNamespace,
            "--fallback-service", routing.ServiceName,
            "--cluster-domain", o.ClusterDomain,
            "--istio-namespace", o.IstioNamespace,
        };
        var container = Container("fallback", o.Image, args, o.EffectiveFallbackResources);
        container.Ports =
        [
            new V1ContainerPort { Name = "http-proxy", ContainerPort = routing.TargetPort, Protocol = "TCP" },
            new V1ContainerPort { Name = "http-admin", ContainerPort = InstallOptions.FallbackAdminPort, Protocol = "TCP" },
        ];
        container.StartupProbe = Probe("/healthz", InstallOptions.FallbackAdminPort, 5, Math.Max(1, o.Profile.StartupSeconds / 5));
        container.LivenessProbe = Probe("/healthz", InstallOptions.FallbackAdminPort, 10, 6);
        container.ReadinessProbe = Probe("/readyz", InstallOptions.FallbackAdminPort, 5, 3);
        var podLabels = new Dictionary<string, string>();
        if (o.HasRevision)
        {
            podLabels["istio.io/rev"] = o.Revision!;
        }
        else
        {
            podLabels["sidecar.istio.io/inject"] = "true";
        }

        var template = PodTemplate(InstallOptions.FallbackName, "fallback", InstallOptions.FallbackName, container, podLabels, new Dictionary<string, string>
        {
            [LazyMeshMetadata.EnabledKey] = "false",
        });
        return Deployment(InstallOptions.FallbackName, o.FallbackNamespace, "fallback", o.FallbackReplicas, template, new Dictionary<string, string>
        {
            // The fallback must keep the full mesh config: LazyMesh never writes a Sidecar for it.
            [LazyMeshMetadata.EnabledKey] = "false",
        });
    }

    private static V1Container Container(string name, string image, IList<string> args, ContainerResources resources) => new()
    {
        Name = name,
        Image = image,
        ImagePullPolicy = "IfNotPresent",
        Args = args,
        Env = [new V1EnvVar { Name = "DOTNET_gcServer", Value = "0" }],
        Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(resources.CpuRequest), ["memory"] = new(resources.MemoryRequest) },
            Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new(resources.MemoryLimit) },
        },
        SecurityContext = new V1SecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = NonRootUser,
            RunAsGroup = NonRootUser,
            ReadOnlyRootFilesystem = true,
            AllowPrivilegeEscalation = false,
            Capabilities = new V1Capabilities { Drop = ["ALL"] },
        },
        VolumeMounts = [new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }],
    };

    private static V1Probe Probe(string path, int port, int period, int failures) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = port },
        PeriodSeconds = period,
        FailureThreshold = failures,
        TimeoutSeconds = 2,
    };

    private static V1PodTemplateSpec PodTemplate(string app, string component, string serviceAccount, V1Container container, IDictionary<string, string> extraLabels, IDictionary<string, string>? podAnnotations)
    {
        var labels = new Dictionary<string, string>(Selector(app)) { [PartOfLabel] = "lazymesh", [ComponentLabel] = component };
        foreach (var (k, v) in extraLabels)
        {
            labels[k] = v;
        }

        return new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = labels, Annotations = podAnnotations },
            Spec = new V1PodSpec
            {
                ServiceAccountName = serviceAccount,
                SecurityContext = new V1PodSecurityContext
                {
                    RunAsNonRoot = true,
                    RunAsUser = NonRootUser,
                    FsGroup = NonRootUser,
                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                },
                Containers = [container],
                Volumes = [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } }],
                TerminationGracePeriodSeconds = 30,
                TopologySpreadConstraints =
                [
                    new V1TopologySpreadConstraint
                    {
                        MaxSkew = 1,
                        TopologyKey = "kubernetes.io/hostname",
                        WhenUnsatisfiable = "ScheduleAnyway",
                        LabelSelector = new V1LabelSelector { MatchLabels = Selector(app) },
                    },
                    new V1TopologySpreadConstraint
                    {
                        MaxSkew = 1,
                        TopologyKey = "topology.kubernetes.io/zone",
                        WhenUnsatisfiable = "ScheduleAnyway",
                        LabelSelector = new V1LabelSelector { MatchLabels = Selector(app) },
                    },
                ],
            },
        };
    }

    private static V1Deployment Deployment(string name, string ns, string component, int replicas, V1PodTemplateSpec template, IDictionary<string, string>? annotations) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = Meta(name, ns, component, annotations),
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = Selector(name) },
            Strategy = new V1DeploymentStrategy
            {
                Type = "RollingUpdate",
                RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 0, MaxSurge = 1 },
            },
            Template = template,
        },
    };

    private static V1Service ControllerService(InstallOptions o) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = Meta(InstallOptions.ControllerName, o.Namespace, "controller"),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = Selector(InstallOptions.ControllerName),
            Ports =
            [
                // "grpc-" makes Istio build an HTTP/2 cluster for the ALS extension providers (IstioWiring remarks).
                new V1ServicePort { Name = InstallOptions.AlsPortName, Port = InstallOptions.AlsPort, TargetPort = InstallOptions.AlsPort, Protocol = "TCP" },
                new V1ServicePort { Name = InstallOptions.MetricsPortName, Port = InstallOptions.MetricsPort, TargetPort = InstallOptions.MetricsPort, Protocol = "TCP" },
            ],
        },
    };

    /// <summary>The fallback's Service as the controller renders it with no mesh ports yet; the controller adds a port per mesh HTTP port.</summary>
    private static V1Service FallbackService(InstallOptions o)
    {
        var service = FallbackServiceRenderer.Render([], o.Routing);
        service.Metadata.Labels = Labels("fallback").ToDictionary(p => p.Key, p => (string)p.Value!);
        return service;
    }

    private static V1PodDisruptionBudget Pdb(string name, string ns, string component) => new()
    {
        ApiVersion = "policy/v1",
        Kind = "PodDisruptionBudget",
        Metadata = Meta(name, ns, component),
        Spec = new V1PodDisruptionBudgetSpec
        {
            MinAvailable = 1,
            Selector = new V1LabelSelector { MatchLabels = Selector(name) },
        },
    };

    private static V2HorizontalPodAutoscaler FallbackAutoscaler(InstallOptions o) => new()
    {
        ApiVersion = "autoscaling/v2",
        Kind = "HorizontalPodAutoscaler",
        Metadata = Meta(InstallOptions.FallbackName, o.FallbackNamespace, "fallback"),
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = InstallOptions.FallbackName },
            MinReplicas = o.FallbackReplicas,
            MaxReplicas = o.Profile.FallbackMaxReplicas,
            Metrics =
            [
                new V2MetricSpec
                {
                    Type = "Resource",
                    Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = 70 } },
                },
            ],
        },
    };
}
