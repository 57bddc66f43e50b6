using System.Text.Json;

namespace LazyMesh.Learning;

/// <summary>
/// What a journal's bytes hold: the edges of its readable records, the unreadable lines between them, and where its
/// last complete record ends. Everything after that point (a line without its newline, or unreadable lines with no
/// readable record after them) is a torn tail, to be cut before anything is appended. A pure function.
/// </summary>
internal sealed record JournalScan(IReadOnlyList<PersistedEdge> Edges, IReadOnlyList<string> Problems, long CompleteLength)
{
    public static JournalScan Scan(ReadOnlySpan<byte> content, string name)
    {
        var edges = new List<PersistedEdge>();
        var problems = new List<string>();
        var unreadable = new List<(int Line, long End)>();
        long completeLength = 0;
        long offset = 0;
        var lineNumber = 0;
        while (offset < content.Length)
        {
            var rest = content[(int)offset..];
            var newline = rest.IndexOf((byte)'\n');
            if (newline < 0)
            {
                break; // a fragment without its newline: torn
            }

            lineNumber++;
            var line = rest[..newline];
            var end = offset + newline + 1;
            offset = end;
            if (line.Trim(" \t\r"u8).IsEmpty)
            {
                if (unreadable.Count == 0)
                {
                    completeLength = end;
                }

                continue;
            }

            if (TryRead(line) is { } edge)
            {
                edges.Add(edge);
                completeLength = end;
                foreach (var (bad, _) in unreadable)
                {
                    problems.Add($"{name}:{bad}: unreadable journal line skipped");
                }

                unreadable.Clear();
            }
            else
            {
                unreadable.Add((lineNumber, end));
            }
        }

        return new JournalScan(edges, problems, completeLength);
    }

    private static PersistedEdge? TryRead(ReadOnlySpan<byte> line)
    {
        try
        {
            var edge = JsonSerializer.Deserialize(line, PersistedEdgeJson.Default.PersistedEdge);
            return edge is null || string.IsNullOrEmpty(edge.Workload) || string.IsNullOrEmpty(edge.Host) ? null : edge;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
