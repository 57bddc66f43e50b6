namespace LazyMesh.AccessLogs;

/// <summary>Istio's default JSON access-log versions, told apart by the keys a line has.</summary>
public enum IstioJsonFamily : byte
{
    V19Plus,
    V18,
    V13To17,
    V12,
    V11,
}
