using LazyMesh.Sinks;
using LazyMesh.Storage;

namespace LazyMesh.Tests.Sinks;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lazymesh-atomic-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Creates_directories_and_replaces_content_leaving_no_temporary_file()
    {
        var path = Path.Combine(_dir, "a", "b", "state.json");

        AtomicFile.WriteAllBytes(path, "one"u8);
        AtomicFile.WriteAllBytes(path, "two, longer"u8);

        Assert.Equal("two, longer"u8.ToArray(), File.ReadAllBytes(path));
        Assert.Equal(["state.json"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void Temporary_names_are_hidden_siblings_and_recognised()
    {
        var path = Path.Combine(_dir, "x.yaml");

        var temporary = AtomicFile.TemporaryPathFor(path);

        Assert.Equal(_dir, Path.GetDirectoryName(temporary));
        Assert.Matches(@"^\.x\.yaml\.tmp-[0-9a-f]{12}$", Path.GetFileName(temporary));
        Assert.True(AtomicFile.IsTemporaryFileName(Path.GetFileName(temporary)));
        Assert.False(AtomicFile.IsTemporaryFileName("x.yaml"));
        Assert.NotEqual(temporary, AtomicFile.TemporaryPathFor(path));
    }

    [Fact]
    public void Deletes_only_temporary_files()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "ns"));
        File.WriteAllText(Path.Combine(_dir, "ns", ".a.yaml.tmp-0123456789ab"), "half");
        File.WriteAllText(Path.Combine(_dir, ".top.json.tmp-x"), "half");
        File.WriteAllText(Path.Combine(_dir, "ns", "a.yaml"), "whole");
        File.WriteAllText(Path.Combine(_dir, ".hidden"), "keep");

        Assert.Equal(2, AtomicFile.DeleteTemporaryFiles(_dir, recursive: true));

        Assert.Equal([".hidden", "a.yaml"], Directory.GetFiles(_dir, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Directory_sync_works_on_unix()
    {
        Directory.CreateDirectory(_dir);

        Assert.Equal(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), AtomicFile.SyncDirectory(_dir));
    }
}
