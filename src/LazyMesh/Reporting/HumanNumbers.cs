using System.Globalization;

namespace LazyMesh.Reporting;

/// <summary>Numbers as people read them in tables and summaries: thousands separated (<c>12,345</c>), culture-invariant.</summary>
public static class HumanNumbers
{
    public static string Count(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Count(double n) => n.ToString("#,0.#", CultureInfo.InvariantCulture);
}
