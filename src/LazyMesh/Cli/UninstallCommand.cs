using System.CommandLine;
using LazyMesh.Install;
using LazyMesh.Kubernetes.Sink;

namespace LazyMesh.Cli;

/// <summary><c>lazymesh uninstall</c>: stop the controller, revert what it generated, unwire Istio, remove LazyMesh (see <see cref="ClusterUninstaller"/>).</summary>
public static class UninstallCommand
{
    public static Command Create()
    {
        var flags = new InstallFlags();
        var keepCrd = new Option<bool>("--keep-crd") { Description = "Keep the LazySidecar CRD and the LazySidecars (learned state) for a later install" };
        var kubeconfig = KubeClientFactory.KubeconfigOption();
        var context = KubeClientFactory.ContextOption();
        var command = new Command("uninstall", "Remove LazyMesh from a cluster: controller first, then generated Sidecars and routing, the Istio wiring, and LazyMesh's own objects")
        {
            keepCrd, kubeconfig, context,
        };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var options = flags.Read(parse);
            var client = KubeClientFactory.Create(parse.GetValue(kubeconfig), parse.GetValue(context));
            using (client as IDisposable)
            {
                var uninstaller = new ClusterUninstaller(new ObjectClient(new KubeWriter(client, new WriteBudget(50))), client, Console.Out);
                await uninstaller.UninstallAsync(options, parse.GetValue(keepCrd), ct).ConfigureAwait(false);
                return CliExitCodes.Success;
            }
        });
        return command;
    }
}
