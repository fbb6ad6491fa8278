using Routing.Contracts;
using Routing.Grains;

namespace Routing.Tests.Infrastructure;

/// <summary>
/// Keeps every routing event the silos publish and lets a test wait for the one it expects — the event
/// itself, not a sleep. Waits see events published before they started.
/// </summary>
public sealed class RecordingEventSink : IRoutingEventSink
{
    private readonly object _gate = new();
    private readonly List<RoutingEvent> _events = [];
    private readonly List<(Func<RoutingEvent, bool> Match, TaskCompletionSource<RoutingEvent> Done)> _waiters = [];
    private readonly List<(string Workspace, Action<RoutingEvent> Handler)> _subscribers = [];

    public void Publish(RoutingEvent routingEvent)
    {
        List<TaskCompletionSource<RoutingEvent>> done = [];
        List<Action<RoutingEvent>> handlers;
        lock (_gate)
        {
            _events.Add(routingEvent);
            handlers = _subscribers.Where(s => s.Workspace == routingEvent.Workspace).Select(s => s.Handler).ToList();
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(routingEvent))
                {
                    done.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }
        foreach (var waiter in done)
        {
            waiter.TrySetResult(routingEvent);
        }
        foreach (var handler in handlers)
        {
            handler(routingEvent);
        }
    }

    /// <summary>Calls <paramref name="handler"/> for every later event of the workspace, until disposed.</summary>
    public IDisposable Subscribe(string workspace, Action<RoutingEvent> handler)
    {
        var entry = (workspace, handler);
        lock (_gate)
        {
            _subscribers.Add(entry);
        }
        return new Unsubscriber(() =>
        {
            lock (_gate)
            {
                _subscribers.Remove(entry);
            }
        });
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }

    /// <summary>Every event of one workspace so far, in the order published.</summary>
    public IReadOnlyList<RoutingEvent> Of(string workspace)
    {
        lock (_gate)
        {
            return _events.Where(e => e.Workspace == workspace).ToList();
        }
    }

    /// <summary>The first event of the workspace, past or future, that matches; fails after <paramref name="timeout"/>.</summary>
    public async Task<T> WaitAsync<T>(string workspace, Func<T, bool> match, TimeSpan? timeout = null)
        where T : RoutingEvent
    {
        bool Matches(RoutingEvent e) => e.Workspace == workspace && e is T t && match(t);
        TaskCompletionSource<RoutingEvent> done;
        lock (_gate)
        {
            if (_events.FirstOrDefault(Matches) is T seen)
            {
                return seen;
            }
            done = new TaskCompletionSource<RoutingEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((Matches, done));
        }
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        var finished = await Task.WhenAny(done.Task, Task.Delay(limit));
        if (finished != done.Task)
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Done == done);
            }
            throw new TimeoutException(
                $"No {typeof(T).Name} matching the test's condition in workspace '{workspace}' within {limit.TotalSeconds} s."
            );
        }
        return (T)await done.Task;
    }
}
