using CsCheck;
using LazyMesh.Mesh;
using LazyMesh.Tests.Fuzzing;
using Xunit.Abstractions;

namespace LazyMesh.Tests.Mesh;

public sealed class LayeredMapTests(ITestOutputHelper output)
{
    /// <summary>
    /// A merge threshold, then batches of (key, value or removal) changes, each followed by a pick of the queued merges
    /// to run (bit i: the i-th queued; 0 runs none).
    /// </summary>
    private static readonly Gen<(int Threshold, ((int Key, int Value)[] Changes, int Merges)[] Batches)> Runs =
        Gen.Select(
            Gen.Int[0, 300],
            Gen.Select(Gen.Select(Gen.Int[0, 1500], Gen.Int[-1, 9]).Array[1, 200], Gen.Int[0, 7]).Array[5, 40]);

    [Fact]
    public void A_layered_map_answers_as_a_dictionary_with_the_same_changes_wherever_merges_run_and_old_maps_keep_their_answers()
    {
        FuzzRun.Check(
            Runs,
            run =>
            {
                var merges = new ManualLayerMerges(run.Threshold);
                var model = Enumerable.Range(0, 100).ToDictionary(i => i, i => $"base-{i}");
                var map = LayeredMap<int, string>.Freeze(model);
                var names = LayeredNameMap<string>.Freeze(model.Select(kv => KeyValuePair.Create($"K{kv.Key}", kv.Value)), StringComparer.OrdinalIgnoreCase);
                var earlier = new List<(LayeredMap<int, string> Map, LayeredNameMap<string> Names, Dictionary<int, string> Model)>();
                foreach (var (batch, pick) in run.Batches)
                {
                    var changes = batch.Select(c => KeyValuePair.Create(c.Key, c.Value < 0 ? null : $"v{c.Value}")).ToList();
                    foreach (var (key, value) in changes)
                    {
                        if (value is null)
                        {
                            model.Remove(key);
                        }
                        else
                        {
                            model[key] = value;
                        }
                    }

                    map = map.With(changes, merges.Policy);
                    names = names.With(changes.Select(c => KeyValuePair.Create($"k{c.Key}", c.Value)), merges.Policy);
                    merges.Run(pick);
                    earlier.Add((map, names, new Dictionary<int, string>(model)));
                    foreach (var (oldMap, oldNames, oldModel) in earlier.TakeLast(3))
                    {
                        for (var key = 0; key <= 1500; key += 7)
                        {
                            Assert.Equal(oldModel.GetValueOrDefault(key), oldMap.TryGetValue(key, out var value) ? value : null);
                            Assert.Equal(oldModel.GetValueOrDefault(key), oldNames.GetValueOrDefault($"K{key}"));
                        }
                    }

                    Assert.True(map.OverlayCount <= (2 * Math.Max(run.Threshold, 200)) + 200, $"{map.OverlayCount} entries outside the base");
                }
            },
            iterations: 60,
            output,
            run => $"threshold {run.Threshold}, {run.Batches.Length} batches, {run.Batches.Sum(b => b.Changes.Length)} changes");
    }

    [Fact]
    public void An_overlay_grown_past_the_threshold_is_merged_off_the_update_and_adopted_by_the_next_update()
    {
        var merges = new ManualLayerMerges(1024);
        var map = LayeredMap<int, string>.Freeze([]);
        map = map.With(Enumerable.Range(0, 1024).Select(i => KeyValuePair.Create(i, (string?)"x")), merges.Policy);
        Assert.Equal(1024, map.OverlayCount);
        Assert.False(map.Merging);

        map = map.With([KeyValuePair.Create(5000, (string?)"y")], merges.Policy);

        Assert.True(map.Merging); // the update only handed the merge over
        Assert.Equal(1, merges.Started);
        Assert.Equal(1025, map.OverlayCount);
        map = map.With([KeyValuePair.Create(5001, (string?)"z")], merges.Policy);
        Assert.True(map.Merging);
        Assert.Equal(1026, map.OverlayCount);

        merges.Run(1);
        Assert.Equal(1026, map.OverlayCount); // a map never changes: the next one adopts the merge
        map = map.With([KeyValuePair.Create(1, (string?)null)], merges.Policy);

        Assert.False(map.Merging);
        Assert.Equal(2, map.OverlayCount); // 5001 and the removal of 1, over the new base
        Assert.True(map.TryGetValue(5000, out var y) && y == "y");
        Assert.True(map.TryGetValue(5001, out var z) && z == "z");
        Assert.True(map.TryGetValue(1023, out var x) && x == "x");
        Assert.False(map.TryGetValue(1, out _));
    }

    [Fact]
    public void An_update_finishes_a_merge_that_has_not_run_when_the_overlay_outgrows_the_threshold_again()
    {
        var merges = new ManualLayerMerges(10);
        var map = LayeredMap<int, string>.Freeze([]);
        map = map.With(Enumerable.Range(0, 11).Select(i => KeyValuePair.Create(i, (string?)"a")), merges.Policy);
        Assert.True(map.Merging);

        map = map.With(Enumerable.Range(100, 11).Select(i => KeyValuePair.Create(i, (string?)"b")), merges.Policy);

        Assert.Equal(2, merges.Started);
        Assert.True(map.Merging); // the first merge was run by the update, the second one waits
        Assert.Equal(11, map.OverlayCount);
        Assert.True(map.TryGetValue(5, out var a) && a == "a");
        Assert.True(map.TryGetValue(105, out var b) && b == "b");
    }

    [Fact]
    public async Task By_default_a_merge_runs_on_the_thread_pool()
    {
        var map = LayeredMap<int, string>.Freeze(Enumerable.Range(0, 10).Select(i => KeyValuePair.Create(i, "base")));
        map = map.With(Enumerable.Range(0, 1025).Select(i => KeyValuePair.Create(i, (string?)"x")));
        Assert.True(map.Merging);

        // The merge ends on the pool (nothing here runs it); the update after it adopts the new base.
        await map.MergeCompleted.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(map.Merging);
        Assert.Equal(1025, map.OverlayCount);

        map = map.With([]);
        Assert.False(map.Merging);
        Assert.Equal(0, map.OverlayCount);
        Assert.True(map.TryGetValue(1024, out var x) && x == "x");
        Assert.True(map.MergeCompleted.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task The_merge_completed_signal_is_set_by_whoever_runs_the_merge()
    {
        var merges = new ManualLayerMerges(10);
        var map = LayeredMap<int, string>.Freeze([]);
        map = map.With(Enumerable.Range(0, 11).Select(i => KeyValuePair.Create(i, (string?)"a")), merges.Policy);
        var completed = map.MergeCompleted;
        Assert.False(completed.IsCompleted);

        merges.Run(1);

        await completed.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(0, map.With([], merges.Policy).OverlayCount);
    }
}
