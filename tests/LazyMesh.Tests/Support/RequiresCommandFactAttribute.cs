namespace LazyMesh.Tests.Support;

/// <summary>
/// A fact that needs an external program (chromium, prometheus, promtool). CI installs them (.ci/run); where the
/// program cannot be found the test is skipped with a reason naming it, never silently passed.
/// </summary>
public sealed class RequiresCommandFactAttribute : FactAttribute
{
    public RequiresCommandFactAttribute(string command)
    {
        if (ExternalCommand.Find(command) is null)
        {
            Skip = $"'{command}' is not installed (Debian: apt-get install {ExternalCommand.DebianPackage(command)}); .ci/run installs it";
        }
    }
}
