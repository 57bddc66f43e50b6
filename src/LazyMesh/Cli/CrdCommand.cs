using System.CommandLine;

namespace LazyMesh.Cli;

/// <summary><c>lazymesh crd</c>: prints the CustomResourceDefinitions LazyMesh needs (for <c>kubectl apply -f -</c>).</summary>
public static class CrdCommand
{
    public static Command Create()
    {
        var format = CommonOptions.OutputFormat("yaml", "json");
        var command = new Command("crd", "Print LazyMesh's CustomResourceDefinitions (kubectl apply -f -)") { format };
        command.SetAction(parse =>
        {
            if (parse.GetRequiredValue(format) == "json")
            {
                ObjectOutput.Write(Console.Out, "json", Rendering.YamlJson.ParseAll(Manifest()).OfType<System.Text.Json.Nodes.JsonObject>());
            }
            else
            {
                Console.Out.Write(Manifest());
            }

            return CliExitCodes.Success;
        });
        return command;
    }

    /// <summary>The CRD manifests shipped in the binary (deploy/crds/*.yaml), as one multi-document YAML.</summary>
    public static string Manifest()
    {
        var assembly = typeof(CrdCommand).Assembly;
        var documents = assembly.GetManifestResourceNames()
            .Where(static n => n.StartsWith("crds/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd();
            });
        return string.Join("---\n", documents);
    }
}
