using Spectre.Console;

namespace LazyMesh.Cli;

/// <summary>A Spectre console over a writer with no colours, no ANSI and a fixed width: for tables that are data (stdout, files, tests).</summary>
public static class PlainConsole
{
    public static IAnsiConsole Create(TextWriter writer, int width)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        return console;
    }
}
