namespace LazyMesh.Authorization;

/// <summary>
/// Three-valued (Kleene) logic for matching a request the fallback can see only partly: an attribute it cannot know
/// (a JWT claim it cannot verify, the destination pod's IP, the SNI) is <see cref="Unknown"/>, and a policy is
/// enforced fail-closed: a DENY that is true or unknown denies, an ALLOW must be true to allow.
/// </summary>
public enum Tri : byte
{
    False,
    Unknown,
    True,
}

public static class TriLogic
{
    public static Tri From(bool value) => value ? Tri.True : Tri.False;

    public static Tri Not(this Tri value) => value switch
    {
        Tri.True => Tri.False,
        Tri.False => Tri.True,
        _ => Tri.Unknown,
    };

    public static Tri And(this Tri left, Tri right) => left < right ? left : right;

    public static Tri Or(this Tri left, Tri right) => left > right ? left : right;
}
