using System.Diagnostics;
using CsCheck;
using Xunit.Abstractions;

namespace LazyMesh.Tests.Fuzzing;

/// <summary>
/// Runs a fuzz property. In CI: a fixed number of iterations on one thread (a few seconds in all, nothing timed).
/// With <c>LAZYMESH_FUZZ_SECONDS=N</c>: N seconds per property on every core (the long run, see docs/security.md);
/// <c>LAZYMESH_FUZZ_SEED</c> replays the seed CsCheck printed for a failure.
/// </summary>
public static class FuzzRun
{
    public const string SecondsVariable = "LAZYMESH_FUZZ_SECONDS";
    public const string SeedVariable = "LAZYMESH_FUZZ_SEED";

    public static void Check<T>(Gen<T> inputs, Action<T> property, int iterations, ITestOutputHelper output, Func<T, string> print)
    {
        long executions = 0;
        var watch = Stopwatch.StartNew();
        void Counted(T input)
        {
            Interlocked.Increment(ref executions);
            property(input);
        }

        var seed = Environment.GetEnvironmentVariable(SeedVariable);
        if (int.TryParse(Environment.GetEnvironmentVariable(SecondsVariable), out var seconds) && seconds > 0)
        {
            inputs.Sample(Counted, output.WriteLine, seed: seed, time: seconds, print: print);
        }
        else
        {
            inputs.Sample(Counted, output.WriteLine, seed: seed, iter: iterations, threads: 1, print: print);
        }

        output.WriteLine($"fuzz: {Interlocked.Read(ref executions)} executions in {watch.Elapsed.TotalSeconds:F1} s");
    }
}
