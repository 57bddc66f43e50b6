using System.Collections.Concurrent;

namespace LazyMesh.Tests.Kubernetes.Sink;

/// <summary>Records every request a client sends, in order, as "METHOD /path" (for ordering assertions).</summary>
internal sealed class RequestRecorder : DelegatingHandler
{
    private readonly ConcurrentQueue<string> _requests = new();

    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>Position of the first request with this method whose path ends with <paramref name="pathSuffix"/>; -1 if none.</summary>
    public int IndexOf(string method, string pathSuffix)
    {
        var requests = Requests;
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i].StartsWith(method + " ", StringComparison.Ordinal) && requests[i].EndsWith(pathSuffix, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    public void Clear() => _requests.Clear();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _requests.Enqueue($"{request.Method.Method} {request.RequestUri!.AbsolutePath}");
        return base.SendAsync(request, cancellationToken);
    }
}
