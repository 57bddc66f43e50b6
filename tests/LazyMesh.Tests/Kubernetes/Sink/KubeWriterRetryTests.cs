using System.Net;
using k8s.Autorest;
using LazyMesh.Kubernetes.Sink;
using Microsoft.Extensions.Time.Testing;

namespace LazyMesh.Tests.Kubernetes.Sink;

/// <summary>The Polly.Core retry pipeline of <see cref="KubeWriter"/>, on a fake clock: no real waiting.</summary>
public sealed class KubeWriterRetryTests
{
    private static readonly KubeRetryOptions Retry = new() { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) };

    private static HttpOperationException Error(HttpStatusCode status, string? retryAfter = null)
    {
        using var response = new HttpResponseMessage(status);
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }

        return new HttpOperationException($"HTTP {(int)status}") { Response = new HttpResponseMessageWrapper(response, string.Empty) };
    }

    private static (KubeWriter Writer, FakeTimeProvider Time) Writer()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        return (new KubeWriter(new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = "http://127.0.0.1:1" }), new WriteBudget(1000, null, time), Retry, time), time);
    }

    [Fact]
    public async Task A_429_waits_exactly_its_Retry_After_even_beyond_the_backoff_cap()
    {
        var (writer, time) = Writer();
        var calls = 0;
        var task = writer.ExecuteAsync("get x", write: false, retryConflicts: false, _ => ++calls == 1 ? throw Error(HttpStatusCode.TooManyRequests, "7") : Task.FromResult(calls), CancellationToken.None);

        Assert.Equal(1, calls);
        time.Advance(TimeSpan.FromSeconds(6.9));
        Assert.False(task.IsCompleted); // MaxDelay is 1 s: the server's 7 s win
        time.Advance(TimeSpan.FromSeconds(0.2));

        Assert.Equal(2, await task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, writer.Stats.Retries);
    }

    [Fact]
    public async Task Transient_errors_are_retried_up_to_MaxAttempts_then_thrown_and_counted()
    {
        var (writer, time) = Writer();
        var calls = 0;
        var task = writer.ExecuteAsync<int>("apply x", write: true, retryConflicts: true, _ =>
        {
            calls++;
            throw Error(HttpStatusCode.ServiceUnavailable);
        }, CancellationToken.None);

        for (var i = 0; i < 10 && !task.IsCompleted; i++)
        {
            time.Advance(Retry.MaxDelay); // every backoff is at most MaxDelay
            await Task.Yield();
        }

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Response.StatusCode);
        Assert.Equal(3, calls);
        Assert.Equal(2, writer.Stats.Retries);
        Assert.Equal(1, writer.Stats.Failures);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    [InlineData(HttpStatusCode.Conflict, false)] // not an apply: a conflict is an answer
    public async Task Permanent_errors_are_not_retried(HttpStatusCode status, bool retryConflicts)
    {
        var (writer, _) = Writer();
        var calls = 0;

        await Assert.ThrowsAsync<HttpOperationException>(() => writer.ExecuteAsync<int>("update x", write: true, retryConflicts, _ =>
        {
            calls++;
            throw Error(status);
        }, CancellationToken.None));

        Assert.Equal(1, calls);
        Assert.Equal(0, writer.Stats.Retries);
    }
}
