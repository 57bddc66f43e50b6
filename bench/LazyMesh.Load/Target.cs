namespace LazyMesh.Load;

/// <summary>One path under test: its URL, the Host to send (null = the URL's), and its own keep-alive client.</summary>
internal sealed class Target(string name, string url, string? host)
{
    public string Name { get; } = name;

    public string Url { get; } = url;

    public string? Host { get; } = host;

    public HttpClient Client { get; } = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),

        // Without a cap, an open loop on a starved machine opens a connection per waiting request: three paths at 2,000
        // req/s ran the process into its 20,000 file descriptors (the runtime then dies with "Out of memory.").
        // Requests beyond the cap wait in the client, and that wait counts in their latency.
        MaxConnectionsPerServer = 512,
    })
    { Timeout = TimeSpan.FromSeconds(30) };
}
