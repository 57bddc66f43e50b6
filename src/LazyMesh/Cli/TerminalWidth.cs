using System.Globalization;

namespace LazyMesh.Cli;

/// <summary>
/// How wide tables are drawn: <c>$COLUMNS</c> when set, else the terminal's width when the table goes to a terminal,
/// else <see cref="Redirected"/> (a pipe or file has no width; a fixed one keeps the output stable).
/// </summary>
public static class TerminalWidth
{
    public const int Redirected = 120;

    public const string ColumnsVariable = "COLUMNS";

    /// <summary>Narrower than this and a table is not readable; a smaller <c>$COLUMNS</c> is ignored.</summary>
    public const int Minimum = 40;

    public static int For(TextWriter writer)
    {
        if (FromEnvironment(Environment.GetEnvironmentVariable(ColumnsVariable)) is { } columns)
        {
            return columns;
        }

        if (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected)
        {
            try
            {
                if (Console.WindowWidth >= Minimum)
                {
                    return Console.WindowWidth;
                }
            }
            catch (IOException)
            {
                // No console after all (e.g. a detached session).
            }
        }

        return Redirected;
    }

    /// <summary>The width <c>$COLUMNS</c> asks for; null when unset or not a usable number.</summary>
    public static int? FromEnvironment(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var columns) && columns >= Minimum ? columns : null;
}
