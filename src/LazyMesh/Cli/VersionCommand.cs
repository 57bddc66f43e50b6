using System.CommandLine;
using System.Reflection;

namespace LazyMesh.Cli;

/// <summary><c>lazymesh version</c>: the build's informational version and the .NET runtime.</summary>
public static class VersionCommand
{
    public static string Version =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionCommand).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    public static Command Create()
    {
        var format = CommonOptions.OptionalOutputFormat("json", "yaml");
        var command = new Command("version", "Print the LazyMesh version") { format };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(format) is { } structured)
            {
                // As kubectl version -o json|yaml: a document scripts can read.
                ObjectOutput.WriteOne(output, structured, new System.Text.Json.Nodes.JsonObject
                {
                    ["lazymeshVersion"] = Version,
                    ["dotnetVersion"] = Environment.Version.ToString(),
                });
            }
            else
            {
                output.WriteLine($"lazymesh {Version} (.NET {Environment.Version})");
            }

            return CliExitCodes.Success;
        });
        return command;
    }
}
