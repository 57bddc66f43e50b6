namespace LazyMesh.Tests.Fuzzing;

/// <summary>
/// One mutation of an input. Positions and lengths are taken modulo the input's current length when applied, so any
/// generated value is meaningful and CsCheck can shrink them freely.
/// </summary>
public readonly record struct ByteMutation(MutationKind Kind, int Position, int Length, byte Value, int Count);
