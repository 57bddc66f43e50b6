using Spectre.Console;

namespace LazyMesh.Cli;

/// <summary>The console for human-facing output on stderr (summaries, warnings, progress), so stdout stays data.</summary>
public static class StderrConsole
{
    public static IAnsiConsole Create()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Ansi = Console.IsErrorRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = Console.IsErrorRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = Console.IsErrorRedirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (Console.IsErrorRedirected)
        {
            // Lines in a log or pipe are not wrapped.
            console.Profile.Width = 10_000;
        }

        return console;
    }
}
