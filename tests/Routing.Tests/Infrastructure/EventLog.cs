namespace Routing.Tests.Infrastructure;

/// <summary>Records what a realtime client hears, and lets a test wait for the item it expects (past or future).</summary>
public sealed class EventLog<T>
{
    private readonly object _gate = new();
    private readonly List<T> _items = [];
    private readonly List<(Func<T, bool> Match, TaskCompletionSource<T> Done)> _waiters = [];

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_gate)
            {
                return _items.ToList();
            }
        }
    }

    public void Add(T item)
    {
        List<TaskCompletionSource<T>> done = [];
        lock (_gate)
        {
            _items.Add(item);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(item))
                {
                    done.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }
        done.ForEach(d => d.TrySetResult(item));
    }

    public async Task<T> WaitAsync(Func<T, bool> match, TimeSpan? timeout = null)
    {
        TaskCompletionSource<T> done;
        lock (_gate)
        {
            foreach (var item in _items)
            {
                if (match(item))
                {
                    return item;
                }
            }
            done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
        }
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        if (await Task.WhenAny(done.Task, Task.Delay(limit)) != done.Task)
        {
            throw new TimeoutException(
                $"No {typeof(T).Name} matching the condition within {limit.TotalSeconds} s; heard {Items.Count}: "
                    + $"{string.Join("; ", Items.TakeLast(5))}"
            );
        }
        return await done.Task;
    }
}
