using System.Net;

namespace LazyMesh.Demo;

/// <summary>A demo Service: its name (= the <c>app</c> label it selects) and ClusterIP.</summary>
public sealed record DemoService(string App, IPAddress ClusterIp);
