using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace LazyMesh.Tests.Support;

/// <summary>Records every formatted log message and lets a test await the first one matching a pattern.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly List<(Regex Pattern, TaskCompletionSource<string> Done)> _waiters = [];
    private readonly Lock _gate = new();

    public IReadOnlyCollection<string> Messages => _messages;

    public ILogger CreateLogger(string categoryName) => new Recorder(this);

    /// <summary>The first message (already logged or to come) matching <paramref name="pattern"/>; fails after 30 s.</summary>
    public async Task<string> WaitForAsync(string pattern)
    {
        var regex = new Regex(pattern);
        TaskCompletionSource<string> done;
        lock (_gate)
        {
            if (_messages.FirstOrDefault(regex.IsMatch) is { } seen)
            {
                return seen;
            }

            done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((regex, done));
        }

        try
        {
            return await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no log message matched /{pattern}/; got:\n{string.Join('\n', _messages)}");
        }
    }

    public void Dispose()
    {
    }

    private void Add(string message)
    {
        lock (_gate)
        {
            _messages.Enqueue(message);
            _waiters.RemoveAll(w => w.Pattern.IsMatch(message) && w.Done.TrySetResult(message));
        }
    }

    private sealed class Recorder(RecordingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(formatter(state, exception));
    }
}
