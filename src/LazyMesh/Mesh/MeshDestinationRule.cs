namespace LazyMesh.Mesh;

/// <summary>
/// A DestinationRule as the index keeps it: its host (FQDN), subsets and exportTo. istiod selects DestinationRules
/// for the services a sidecar imports (sidecar.go <c>selectDestinationRules</c>), never through egress hosts, so
/// importing a destination is all a subset cluster (<c>outbound|P|subset|host</c>) needs.
/// </summary>
public sealed record MeshDestinationRule(string Namespace, string Name, string Host, IReadOnlyList<string> Subsets, IReadOnlyList<string> ExportTo)
{
    public override string ToString() => $"DestinationRule {Namespace}/{Name}";
}
