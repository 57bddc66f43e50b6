namespace LazyMesh.Inventory;

/// <summary>
/// Bounds on inventory input, so that a hostile or broken file cannot exhaust the stack or memory (issue 11: a
/// 447-byte YAML alias bomb grew past 3 GB; 200,000 nested <c>[</c> overflowed the stack).
/// </summary>
public static class InventoryLimits
{
    /// <summary>
    /// Deepest nesting of maps and lists. System.Text.Json's default; a Kubernetes object is rarely 20 deep (a Pod's
    /// deepest fields, e.g. affinity terms, are about 12).
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// Deepest nesting of YAML flow collections (<c>[</c>, <c>{</c>) before a file is refused outright rather than the
    /// document skipped: YamlDotNet's scanner does work proportional to this depth for every token
    /// (<see cref="FlowDepthLimitedScanner"/>), so without it 200,000 nested <c>[</c> took minutes.
    /// </summary>
    public const int MaxFlowDepth = 1_024;

    /// <summary>
    /// Most nodes that YAML aliases may add to one document. go-yaml (which kubectl uses) refuses "excessive aliasing"
    /// by a ratio of alias to plain nodes (yaml.v3 decode.go, <c>allowedAliasRatio</c>); a fixed budget is simpler to
    /// reason about, and no Kubernetes manifest comes near it.
    /// </summary>
    public const int MaxAliasNodes = 100_000;

    /// <summary>
    /// Largest single object (a document, or one item of a list), in bytes (YAML: characters). etcd stores at most
    /// 1.5 MiB per object (<c>--max-request-bytes</c>), so this leaves room for any real object.
    /// </summary>
    public const int MaxObjectBytes = 16 * 1024 * 1024;
}
