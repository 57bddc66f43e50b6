using System.CommandLine;
using LazyMesh.Install;
using LazyMesh.Kubernetes.Sink;

namespace LazyMesh.Cli;

/// <summary>
/// <c>lazymesh install</c>: every object LazyMesh needs, as YAML on stdout (default), applied with server-side apply
/// (<c>--apply</c>, idempotent), compared with the cluster (<c>--dry-run</c>), written as a kustomize tree
/// (<c>--kustomize DIR</c>), or just the MeshConfig fragment for the way Istio was installed (<c>--mesh-config</c>).
/// </summary>
public static class InstallCommand
{
    public static Command Create()
    {
        var flags = new InstallFlags();
        var apply = new Option<bool>("--apply") { Description = "Apply to the cluster (server-side apply, field manager lazymesh-install) and wire Istio" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what --apply would change, without changing anything" };
        var kustomize = new Option<string?>("--kustomize") { Description = "Write the manifests as a kustomize tree to DIR (base, overlays/small, overlays/large, istio fragments)" };
        var meshConfig = new Option<string?>("--mesh-config") { Description = "Print only the MeshConfig extensionProviders: configmap (istiod's ConfigMap), istiooperator or helm (istiod values)" };
        meshConfig.AcceptOnlyFromAmong("configmap", "istiooperator", "helm");
        var format = CommonOptions.OutputFormat("yaml", "json");
        var kubeconfig = KubeClientFactory.KubeconfigOption();
        var context = KubeClientFactory.ContextOption();
        var command = new Command("install", "Install LazyMesh on a cluster: print the manifests (default, -o yaml|json), --apply them, --dry-run, or write --kustomize DIR")
        {
            apply, dryRun, kustomize, meshConfig, format, kubeconfig, context,
        };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var options = flags.Read(parse);
            if (CommonOptions.IsGiven(parse, format) && (parse.GetValue(apply) || parse.GetValue(dryRun) || parse.GetValue(kustomize) is not null))
            {
                throw new UsageException("--output: only when printing (manifests or --mesh-config), not with --apply, --dry-run or --kustomize");
            }

            if (parse.GetValue(meshConfig) is { } fragment)
            {
                var obj = fragment switch
                {
                    "configmap" => IstioWiring.MeshConfigMapPatch(options),
                    "istiooperator" => IstioWiring.IstioOperatorFragment(options),
                    _ => IstioWiring.HelmValuesFragment(options),
                };
                ObjectOutput.WriteOne(Console.Out, parse.GetRequiredValue(format), obj);
                return CliExitCodes.Success;
            }

            if (parse.GetValue(kustomize) is { } dir)
            {
                foreach (var path in KustomizeLayout.Write(dir, options))
                {
                    await Console.Out.WriteLineAsync($"wrote {path}");
                }

                return CliExitCodes.Success;
            }

            if (!parse.GetValue(apply) && !parse.GetValue(dryRun))
            {
                ObjectOutput.Write(Console.Out, parse.GetRequiredValue(format), InstallRenderer.Render(options), Header(options));
                return CliExitCodes.Success;
            }


            var client = KubeClientFactory.Create(parse.GetValue(kubeconfig), parse.GetValue(context));
            using (client as IDisposable)
            {
                var installer = new ClusterInstaller(new ObjectClient(new KubeWriter(client, new WriteBudget(50))), Console.Out);
                return await installer.InstallAsync(options, parse.GetValue(dryRun), ct).ConfigureAwait(false) ? CliExitCodes.Success : CliExitCodes.Failed;
            }
        });
        return command;
    }

    private static string Header(InstallOptions options) =>
        $"""
        LazyMesh {options.Profile.Name} install: kubectl apply --server-side -f -
        Istio's MeshConfig also needs LazyMesh's access-log providers; print them for your Istio install with
          lazymesh install --mesh-config configmap|istiooperator|helm
        (`lazymesh install --apply` applies everything and edits istiod's ConfigMap {options.IstioNamespace}/{options.MeshConfigMapName}).
        """;
}
