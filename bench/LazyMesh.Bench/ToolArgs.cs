using System.Globalization;

namespace LazyMesh.Bench;

/// <summary><c>--name value</c> arguments of the bench tools.</summary>
internal sealed class ToolArgs(string[] args)
{
    public int Int(string name, int fallback) => Find(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public string String(string name, string fallback) => Find(name) ?? fallback;

    private string? Find(string name)
    {
        var i = Array.IndexOf(args, "--" + name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
