namespace LazyMesh.Tests.Fuzzing;

/// <summary>What one <see cref="ByteMutation"/> does to its input (the mutations of AFL's havoc stage, plus nesting).</summary>
public enum MutationKind
{
    /// <summary>Flips one bit.</summary>
    FlipBit,

    /// <summary>Sets a byte to a value that matters to parsers (a quote, a bracket, a newline, 0x80, ...).</summary>
    SetInteresting,

    /// <summary>Sets a byte to any value.</summary>
    SetRandom,

    /// <summary>Inserts a value that matters to parsers, repeated.</summary>
    Insert,

    /// <summary>Deletes a range.</summary>
    Delete,

    /// <summary>Cuts the input at a position.</summary>
    Truncate,

    /// <summary>Repeats a range several times in place.</summary>
    Repeat,

    /// <summary>Inserts a range of another seed.</summary>
    Splice,

    /// <summary>Wraps a range in many levels of the format's nesting (brackets, braces, indentation, length-prefixed fields).</summary>
    Nest,
}
