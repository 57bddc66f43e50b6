using LazyMesh.AccessLogs;
using Spectre.Console;

namespace LazyMesh.Cli;

/// <summary>
/// Reads access-log files into a sink, with a progress bar on stderr for large uncompressed files when
/// stderr is a terminal.
/// </summary>
public static class AccessLogIngest
{
    private const long ProgressThresholdBytes = 64L << 20;

    public static AccessLogReadStats ReadAll(IReadOnlyList<string> paths, IAccessEventSink sink, AccessLogReadStats stats, IAnsiConsole console, AccessLogFormatSet? formats = null)
    {
        var reader = new AccessLogReader(formats: formats);
        var large = paths.Where(p => p != "-" && !p.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) && new FileInfo(p).Length >= ProgressThresholdBytes).ToList();
        if (large.Count == 0 || !console.Profile.Capabilities.Interactive)
        {
            foreach (var path in paths)
            {
                reader.ReadFile(path, sink, stats);
            }

            return stats;
        }

        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                foreach (var path in paths)
                {
                    if (!large.Contains(path))
                    {
                        reader.ReadFile(path, sink, stats);
                        continue;
                    }

                    using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                    var task = context.AddTask(Path.GetFileName(path), maxValue: file.Length);
                    var reading = Task.Run(() => reader.Read(file, path, sink, stats));
                    while (!reading.Wait(200))
                    {
                        task.Value = file.Position;
                        context.Refresh();
                    }

                    task.Value = file.Length;
                    reading.GetAwaiter().GetResult();
                }
            });
        return stats;
    }

    /// <summary>
    /// The access-log part of a summary: counts, the formats and prefixes found, and the first problems with
    /// <c>and N more</c>.
    /// </summary>
    public static IEnumerable<string> Describe(AccessLogReadStats reads)
    {
        yield return $"{Count(reads.Lines)} lines, {Count(reads.Parsed)} entries, {Count(reads.NotAccessLog)} not access-log lines, {Count(reads.Malformed)} malformed, {Count(reads.TooLong)} too long";
        if (reads.Formats.Count > 0)
        {
            yield return $"  formats: {reads.DescribeFormats()}";
        }

        if (reads.Prefixes.Count > 0)
        {
            yield return $"  line prefixes stripped: {reads.DescribePrefixes()}";
        }

        foreach (var problem in reads.DescribeProblems())
        {
            yield return $"  {problem}";
        }
    }

    private static string Count(long n) => Reporting.HumanNumbers.Count(n);
}
