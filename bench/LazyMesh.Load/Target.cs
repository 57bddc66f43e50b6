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
    })
    { Timeout = TimeSpan.FromSeconds(30) };
}
