namespace LazyMesh.Fallback;

/// <summary>The outcome of resolving a call: a destination, or a status and the reason why not.</summary>
public readonly record struct FallbackResolution(FallbackDestination? Destination, int StatusCode, string? Error)
{
    public bool Succeeded => Destination is not null;

    public static FallbackResolution Found(FallbackDestination destination) => new(destination, 0, null);

    public static FallbackResolution Unresolved(string error) => new(null, 502, error);

    public static FallbackResolution Loop(string error) => new(null, 508, error);
}
