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
        var command = new Command("version", "Print the LazyMesh version");
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.WriteLine($"lazymesh {Version} (.NET {Environment.Version})");
            return CliExitCodes.Success;
        });
        return command;
    }
}
