namespace LazyMesh.Inventory;

/// <summary>
/// An inventory input could not be read or does not describe valid Kubernetes objects. The message starts
/// with <c>file:line: </c> (or <c>file: </c> when no line applies).
/// </summary>
public class InventoryException : Exception
{
    public InventoryException(string filePath, int line, string message, Exception? innerException = null)
        : base(Format(filePath, line, message), innerException)
    {
        FilePath = filePath;
        Line = line;
        Reason = message;
    }

    /// <summary>The file the problem is in; <c>-</c> or a caller-given name for a reader.</summary>
    public string FilePath { get; }

    /// <summary>1-based line, or 0 when the problem is not at a line (e.g. a missing file).</summary>
    public int Line { get; }

    /// <summary>The message without the location prefix.</summary>
    public string Reason { get; }

    private static string Format(string filePath, int line, string message) =>
        line > 0 ? $"{filePath}:{line}: {message}" : $"{filePath}: {message}";
}
