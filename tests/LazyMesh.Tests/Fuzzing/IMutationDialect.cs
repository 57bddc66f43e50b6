namespace LazyMesh.Tests.Fuzzing;

/// <summary>What is "interesting" and what "nesting" means for one input format.</summary>
public interface IMutationDialect
{
    /// <summary>Bytes a parser of the format treats specially.</summary>
    IReadOnlyList<byte[]> Interesting { get; }

    /// <summary>Wraps <paramref name="inner"/> in <paramref name="levels"/> levels of nesting, of a kind chosen by <paramref name="choice"/>.</summary>
    byte[] Nest(ReadOnlySpan<byte> inner, int levels, byte choice);
}
