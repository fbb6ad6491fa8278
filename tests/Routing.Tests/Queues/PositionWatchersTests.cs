using Routing.Contracts;
using Routing.Grains.Queues;
using Routing.Policy;

namespace Routing.Tests.Queues;

/// <summary>
/// What customers watching their place in line are told once a second (docs/routing.md, rule 7): each watched conversation
/// waiting in line its place and estimate the first time, then only when they change; nobody else anything.
/// </summary>
public sealed class PositionWatchersTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 11, 0, 0, 0, TimeSpan.Zero);

    private readonly QueueLine _line = new(new PriorityOrder(0));
    private readonly QueueFigures _figures = new(new RoutingOptions());
    private readonly PositionWatchers _watchers = new();

    public PositionWatchersTests()
    {
        for (var n = 0; n < 3; n++)
        {
            _line.Put(Entry(n));
        }
    }

    [Fact]
    public void AWatchedConversationIsToldItsPlaceOnceThenOnlyWhenItChanges()
    {
        _watchers.Watch("c1", watching: true);
        _watchers.Watch("c2", watching: true);

        Assert.Equal([("c1", new QueuePosition(1, null, null)), ("c2", new QueuePosition(2, null, null))], Push(T0));
        Assert.Empty(Push(T0.AddSeconds(1)));

        _line.Remove("c0");
        Assert.Equal([("c1", new QueuePosition(0, null, null)), ("c2", new QueuePosition(1, null, null))], Push(T0.AddSeconds(2)));
    }

    [Fact]
    public void AnEstimateThatAppearsIsTold()
    {
        _watchers.Watch("c2", watching: true);
        Push(T0);

        _figures.Connected(T0, TimeSpan.FromSeconds(5)); // one answer in the 300 s window: (2 ahead + 1) / (1/300) = 900 s
        Assert.Equal([("c2", new QueuePosition(2, 900, null))], Push(T0.AddSeconds(1)));
    }

    [Fact]
    public void NobodyElseIsToldAnything()
    {
        _watchers.Watch("c1", watching: true);
        _watchers.Watch("c1", watching: false);
        _watchers.Watch("c9", watching: true); // not in this line
        _watchers.Watch("c0", watching: true);
        _line.MarkOffering(_line.TryGet("c0", out var offered) ? offered : throw new InvalidOperationException());

        Assert.Empty(Push(T0));
        Assert.Equal(2, _watchers.Count);
    }

    private List<(string, QueuePosition)> Push(DateTimeOffset now)
    {
        var told = new List<(string, QueuePosition)>();
        _watchers.Push(_line, agentReady: false, _figures, now, (id, position) => told.Add((id, position)));
        return told;
    }

    private static QueueEntry Entry(int n) =>
        QueueEntry.For(
            new QueueTicket($"c{n}", "q", "chat", 10, T0.AddSeconds(n), n, [], []),
            "q",
            overflow: null,
            n,
            overflowedOut: false
        );
}
