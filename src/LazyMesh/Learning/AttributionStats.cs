using LazyMesh.AccessLogs;
using LazyMesh.Attribution;

namespace LazyMesh.Learning;

/// <summary>
/// Counts of what happened to each access event, by protocol: skipped (by reason) or learned (new,
/// known, capped). Interlocked increments on the hot path; read at any time without locks.
/// </summary>
public sealed class AttributionStats
{
    private static readonly int Reasons = Enum.GetValues<SkipReason>().Length;
    private static readonly int Results = Enum.GetValues<LearnResult>().Length;
    private static readonly int Protocols = Enum.GetValues<AccessProtocol>().Length;

    private readonly long[] _skipped = new long[Reasons * Protocols];
    private readonly long[] _learned = new long[Results * Protocols];

    public void Skipped(SkipReason reason, AccessProtocol protocol) =>
        Interlocked.Increment(ref _skipped[((int)reason * Protocols) + (int)protocol]);

    public void Learned(LearnResult result, AccessProtocol protocol) =>
        Interlocked.Increment(ref _learned[((int)result * Protocols) + (int)protocol]);

    public long SkippedCount(SkipReason reason, AccessProtocol protocol) =>
        Interlocked.Read(ref _skipped[((int)reason * Protocols) + (int)protocol]);

    public long LearnedCount(LearnResult result, AccessProtocol protocol) =>
        Interlocked.Read(ref _learned[((int)result * Protocols) + (int)protocol]);

    public long SkippedCount(SkipReason reason)
    {
        long sum = 0;
        foreach (var protocol in Enum.GetValues<AccessProtocol>())
        {
            sum += SkippedCount(reason, protocol);
        }

        return sum;
    }

    public long TotalSkipped
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _skipped.Length; i++)
            {
                sum += Interlocked.Read(ref _skipped[i]);
            }

            return sum;
        }
    }

    /// <summary>Entries that reached the store (new, known or capped).</summary>
    public long TotalAttributed
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _learned.Length; i++)
            {
                sum += Interlocked.Read(ref _learned[i]);
            }

            return sum;
        }
    }
}
