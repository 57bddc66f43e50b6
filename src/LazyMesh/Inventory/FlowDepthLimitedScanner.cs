using YamlDotNet.Core;
using YamlDotNet.Core.Tokens;

namespace LazyMesh.Inventory;

/// <summary>
/// YamlDotNet's <see cref="Scanner"/> with a bound on how deeply flow collections (<c>[</c>, <c>{</c>) nest. The
/// scanner checks every open flow level's pending simple key for every token it reads, so N nested brackets cost
/// O(N²): 40,000 took 7 s, the 200,000 several minutes, even though <see cref="YamlDocumentReader"/> stops
/// building the document at <see cref="InventoryLimits.MaxDepth"/>. Past <see cref="InventoryLimits.MaxFlowDepth"/>
/// the file cannot be read on (the scanner's state cannot be resynchronised), so it is refused with an
/// <see cref="InventoryException"/> naming the file and line, like a syntax error.
/// </summary>
internal sealed class FlowDepthLimitedScanner(TextReader input, string filePath) : IScanner
{
    private readonly Scanner scanner = new(input, skipComments: true);
    private int flowDepth;

    public Mark CurrentPosition => scanner.CurrentPosition;

    public Token? Current => scanner.Current;

    public bool MoveNext() => Count(scanner.MoveNext());

    public bool MoveNextWithoutConsuming() => Count(scanner.MoveNextWithoutConsuming());

    public void ConsumeCurrent() => scanner.ConsumeCurrent();

    private bool Count(bool moved)
    {
        switch (moved ? scanner.Current : null)
        {
            case FlowSequenceStart or FlowMappingStart:
                if (++flowDepth > InventoryLimits.MaxFlowDepth)
                {
                    throw new InventoryException(filePath, (int)scanner.Current!.Start.Line, $"[ and {{ nested deeper than {InventoryLimits.MaxFlowDepth} levels; the file is not read further");
                }

                break;
            case FlowSequenceEnd or FlowMappingEnd:
                flowDepth = Math.Max(0, flowDepth - 1);
                break;
        }

        return moved;
    }
}
