using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Routing.Tests.Infrastructure;

/// <summary>Keeps every log record of a host — level, category, message and the scopes it was written in.</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    private readonly List<(Func<LogRecord, bool> Match, TaskCompletionSource<LogRecord> Done)> _waiters = [];

    public ConcurrentQueue<LogRecord> Records { get; } = new();

    /// <summary>The first record, written before or after this call, that matches; fails after 15 s.</summary>
    public Task<LogRecord> WaitAsync(Func<LogRecord, bool> match)
    {
        var done = new TaskCompletionSource<LogRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (Records.FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }
            _waiters.Add((match, done));
        }
        return done.Task.WaitAsync(TimeSpan.FromSeconds(15));
    }

    private void Add(LogRecord record)
    {
        lock (_waiters)
        {
            Records.Enqueue(record);
            foreach (var waiter in _waiters.Where(w => w.Match(record)).ToList())
            {
                waiter.Done.TrySetResult(record);
                _waiters.Remove(waiter);
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() { }

    public sealed record LogRecord(
        LogLevel Level,
        string Category,
        string Message,
        IReadOnlyList<KeyValuePair<string, object?>> Scope,
        Exception? Exception
    );

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter
        )
        {
            var scope = new List<KeyValuePair<string, object?>>();
            capture._scopes.ForEachScope(
                (s, list) =>
                {
                    if (s is IEnumerable<KeyValuePair<string, object>> pairs)
                    {
                        list.AddRange(pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)));
                    }
                    else if (s is not null)
                    {
                        list.Add(new("Scope", s.ToString()));
                    }
                },
                scope
            );
            capture.Add(new LogRecord(logLevel, category, formatter(state, exception), scope, exception));
        }
    }
}
