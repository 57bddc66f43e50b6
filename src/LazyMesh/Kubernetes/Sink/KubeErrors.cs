using System.Globalization;
using System.Net;
using k8s.Autorest;

namespace LazyMesh.Kubernetes.Sink;

/// <summary>Classifies API errors: which are worth retrying, and how long the server asked us to wait.</summary>
public static class KubeErrors
{
    public static HttpStatusCode? StatusOf(Exception e) => e is HttpOperationException h ? h.Response?.StatusCode : null;

    public static bool IsNotFound(Exception e) => StatusOf(e) == HttpStatusCode.NotFound;

    public static bool IsConflict(Exception e) => StatusOf(e) == HttpStatusCode.Conflict;

    /// <summary>429, 5xx, timeouts and connection failures; 409 too when <paramref name="conflicts"/>.</summary>
    public static bool IsTransient(Exception e, bool conflicts) => e switch
    {
        HttpOperationException h => h.Response?.StatusCode is { } code && (
            code == HttpStatusCode.TooManyRequests || (int)code >= 500 || (conflicts && code == HttpStatusCode.Conflict)),
        HttpRequestException or IOException => true,
        TaskCanceledException or TimeoutException => true,
        _ => false,
    };

    /// <summary>The Retry-After header (seconds or an HTTP date) of an API error, if any.</summary>
    public static TimeSpan? RetryAfter(Exception e, DateTimeOffset now)
    {
        if (e is not HttpOperationException { Response.Headers: { } headers })
        {
            return null;
        }

        foreach (var (name, values) in headers)
        {
            if (!string.Equals(name, "Retry-After", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
                {
                    return TimeSpan.FromSeconds(seconds);
                }

                if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    return at > now ? at - now : TimeSpan.Zero;
                }
            }
        }

        return null;
    }
}
