namespace LazyMesh.Cli;

public static class CliExitCodes
{
    public const int Success = 0;

    /// <summary>The run failed: bad input content, an I/O error, a strict-mode stop.</summary>
    public const int Failed = 1;

    /// <summary>The arguments are unusable: unknown option, missing file, invalid value.</summary>
    public const int Usage = 2;
}
