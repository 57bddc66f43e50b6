using CsCheck;
using LazyMesh.Mesh;
using LazyMesh.Tests.Fuzzing;
using Xunit.Abstractions;

namespace LazyMesh.Tests.Mesh;

public sealed class LayeredMapTests(ITestOutputHelper output)
{
    /// <summary>Batches of (key, value or removal) changes, enough of them to cross the overlay's merge threshold.</summary>
    private static readonly Gen<(int Key, int Value)[][]> Batches =
        Gen.Select(Gen.Int[0, 1500], Gen.Int[-1, 9]).Array[1, 200].Array[5, 40];

    [Fact]
    public void A_layered_map_answers_as_a_dictionary_with_the_same_changes_across_merges()
    {
        FuzzRun.Check(
            Batches,
            batches =>
            {
                var model = Enumerable.Range(0, 100).ToDictionary(i => i, i => $"base-{i}");
                var map = LayeredMap<int, string>.Freeze(model);
                var names = LayeredNameMap<string>.Freeze(model.Select(kv => KeyValuePair.Create($"K{kv.Key}", kv.Value)), StringComparer.OrdinalIgnoreCase);
                foreach (var batch in batches)
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

                    map = map.With(changes);
                    names = names.With(changes.Select(c => KeyValuePair.Create($"k{c.Key}", c.Value)));
                    for (var key = 0; key <= 1500; key += 7)
                    {
                        Assert.Equal(model.GetValueOrDefault(key), map.TryGetValue(key, out var value) ? value : null);
                        Assert.Equal(model.GetValueOrDefault(key), names.GetValueOrDefault($"K{key}"));
                    }
                }
            },
            iterations: 40,
            output,
            batches => $"{batches.Length} batches, {batches.Sum(b => b.Length)} changes");
    }

    [Fact]
    public void An_overlay_is_frozen_into_the_base_once_it_outgrows_the_threshold()
    {
        var map = LayeredMap<int, string>.Freeze([]);
        map = map.With(Enumerable.Range(0, 1024).Select(i => KeyValuePair.Create(i, (string?)"x")));
        Assert.Equal(1024, map.OverlayCount);

        map = map.With([KeyValuePair.Create(5000, (string?)"y")]);

        Assert.Equal(0, map.OverlayCount);
        Assert.True(map.TryGetValue(5000, out var y) && y == "y");
        Assert.True(map.TryGetValue(1023, out var x) && x == "x");
    }
}
