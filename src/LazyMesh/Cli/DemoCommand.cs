using System.CommandLine;
using LazyMesh.Demo;
using Spectre.Console;

namespace LazyMesh.Cli;

/// <summary><c>lazymesh demo</c>: the whole loop on one machine, nothing to configure.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var extra = new Option<int>("--extra-services") { Description = "Services added around Bookinfo for the full-mesh baseline", DefaultValueFactory = _ => 1000 };
        var keep = new Option<bool>("--keep-running") { Description = "Leave everything up after the demo, until Ctrl+C" };
        var timeout = new Option<int>("--timeout-seconds") { Description = "Fail if the loop has not converged by then", DefaultValueFactory = _ => 45 };
        var command = new Command("demo", "Run the whole loop on one machine: controller, fallback proxy and Bookinfo on 127.0.0.x")
        {
            extra, keep, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var extraServices = parse.GetValue(extra);
            if (extraServices is < 0 or > 20_000)
            {
                throw new UsageException($"--extra-services must be between 0 and 20000, not {extraServices}");
            }

            var seconds = parse.GetValue(timeout);
            if (seconds < 1)
            {
                throw new UsageException($"--timeout-seconds must be positive, not {seconds}");
            }

            var options = new DemoOptions { ExtraServices = extraServices, KeepRunning = parse.GetValue(keep), Timeout = TimeSpan.FromSeconds(seconds) };
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
            if (TerminalWidth.FromEnvironment(Environment.GetEnvironmentVariable(TerminalWidth.ColumnsVariable)) is { } columns)
            {
                console.Profile.Width = columns;
            }
            else if (Console.IsOutputRedirected)
            {
                // Progress lines in a log are kept whole.
                console.Profile.Width = 200;
            }

            return await new DemoRunner(options, console).RunAsync(cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
