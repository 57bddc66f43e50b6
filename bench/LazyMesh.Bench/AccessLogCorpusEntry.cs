namespace LazyMesh.Bench;

/// <summary>One generated access log entry, printed as TEXT or JSON by <see cref="AccessLogCorpus"/>.</summary>
internal readonly record struct AccessLogCorpusEntry(
    string Time, string Method, string Path, string Protocol, int Code, string Flags, string Details, string UserAgent, string RequestId,
    string Authority, string UpstreamHost, string Cluster, string UpstreamLocal, string DownstreamLocal, string DownstreamRemote,
    string ServerName, string Route);
