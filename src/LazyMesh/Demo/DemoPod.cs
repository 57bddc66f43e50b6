using System.Net;

namespace LazyMesh.Demo;

/// <summary>A demo pod (one per Deployment): its IP and the services its application calls.</summary>
public sealed record DemoPod(string Workload, string App, string Version, IPAddress Ip, IReadOnlyList<string> Calls);
