using System.Reflection;

namespace LazyMesh.Ui;

/// <summary>The page: <c>ui.html</c>, embedded in the assembly (HTML, CSS and JavaScript in one file, no external assets).</summary>
public static class UiPage
{
    private static readonly Lazy<ReadOnlyMemory<byte>> Bytes = new(Load);

    public static ReadOnlyMemory<byte> Html => Bytes.Value;

    private static ReadOnlyMemory<byte> Load()
    {
        using var stream = typeof(UiPage).Assembly.GetManifestResourceStream("LazyMesh.Ui.ui.html")
            ?? throw new InvalidOperationException("embedded resource LazyMesh.Ui.ui.html is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
