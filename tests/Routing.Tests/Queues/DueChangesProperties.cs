using CsCheck;
using Routing.Contracts;
using Routing.Grains.Queues;

namespace Routing.Tests.Queues;

/// <summary>
/// The times a queue's line changes by itself, and its one alarm (docs/routing.md, rule 6: matching runs at the exact
/// instant a skill step relaxes or an overflow wait passes): whatever is kept in whatever order, and whenever the alarm
/// rings, no time kept is left without an alarm at or before it, and a ring takes exactly the times due, earliest first.
/// </summary>
public sealed class DueChangesProperties
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 11, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NoTimeKeptIsLeftWithoutAnAlarmAtOrBeforeIt() =>
        // ops: (ring the alarm, conversation, seconds after now: when to look again, or how far the clock moves on a ring)
        Gen.Select(Gen.Bool, Gen.Int[0, 9], Gen.Int[0, 30])
            .Array[1, 120]
            .Sample(
                ops =>
                {
                    var due = new DueChanges();
                    var kept = new List<(string Id, DateTimeOffset At)>();
                    var now = T0;
                    foreach (var (ring, n, seconds) in ops)
                    {
                        if (ring)
                        {
                            now = now.AddSeconds(seconds);
                            due.AlarmRang();
                            var taken = new List<(string, DateTimeOffset)>();
                            while (due.TryTakeDue(now, out var id))
                            {
                                var at = kept.Where(k => k.Id == id).Min(k => k.At);
                                kept.Remove((id, at));
                                taken.Add((id, at));
                            }
                            Assert.All(taken, t => Assert.True(t.Item2 <= now, "a time not yet due was taken"));
                            Assert.Equal(taken.Select(t => t.Item2).Order(), taken.Select(t => t.Item2)); // earliest first
                            Assert.All(kept, k => Assert.True(k.At > now, $"{k.Id} was due at {k.At} and not taken"));
                        }
                        else
                        {
                            var at = now.AddSeconds(seconds);
                            due.Add($"c{n}", at);
                            kept.Add(($"c{n}", at));
                        }
                        var before = due.AlarmAt;
                        var set = due.AlarmToSet();
                        Assert.True(set is null || before is null || set < before, "the alarm was set later than it was");
                        Assert.Equal(set ?? before, due.AlarmAt);
                        Assert.Equal(kept.Count, due.Count);
                        if (kept.Count > 0)
                        {
                            Assert.True(due.AlarmAt <= kept.Min(k => k.At), "a time is kept with no alarm at or before it");
                        }
                    }
                },
                iter: 500
            );

    [Fact]
    public void AnEntryWithNothingLeftToChangeIsNotLookedAtAgain() =>
        Assert.Null(DueChanges.NextChangeAt(Entry([new(Needs(4), null)]), overflow: null, T0.AddSeconds(3)));

    [Fact]
    public void AnEntryIsLookedAtAgainWhenItsStepRelaxes()
    {
        var entry = Entry([new(Needs(4), 10), new(Needs(2), 20)]);
        Assert.Equal(T0.AddSeconds(10), DueChanges.NextChangeAt(entry, overflow: null, T0.AddSeconds(3)));
        Assert.Equal(T0.AddSeconds(30), DueChanges.NextChangeAt(entry, overflow: null, T0.AddSeconds(10)));
        Assert.Null(DueChanges.NextChangeAt(entry, overflow: null, T0.AddSeconds(30))); // anyone, for ever
    }

    [Fact]
    public void AnEntryIsLookedAtAgainWhenItMayOverflowIfThatComesFirst()
    {
        var entry = Entry([new(Needs(4), 10)]);
        Assert.Equal(T0.AddSeconds(5), DueChanges.NextChangeAt(entry, new OverflowRule("other", 5), T0));
        Assert.Equal(T0.AddSeconds(10), DueChanges.NextChangeAt(entry, new OverflowRule("other", 20), T0));
        Assert.Equal(T0.AddSeconds(20), DueChanges.NextChangeAt(Entry([]), new OverflowRule("other", 20), T0.AddSeconds(25)));
    }

    [Fact]
    public void AnEntryThatOverflowedOrIsAnOverflowCopyDoesNotWaitToOverflow()
    {
        var overflowed = Entry([]);
        overflowed.OverflowedOut = true;
        Assert.Null(DueChanges.NextChangeAt(overflowed, new OverflowRule("other", 5), T0));
        var copy = QueueEntry.For(Ticket([], "other"), "q", new OverflowRule("third", 5), 1, overflowedOut: false);
        Assert.True(copy.IsOverflowCopy);
        Assert.Null(DueChanges.NextChangeAt(copy, new OverflowRule("third", 5), T0));
    }

    private static Dictionary<string, int> Needs(int level) => new() { ["billing"] = level };

    private static QueueEntry Entry(SkillRequirementStep[] skills) =>
        QueueEntry.For(Ticket(skills, "q"), "q", overflow: null, generation: 1, overflowedOut: false);

    private static QueueTicket Ticket(SkillRequirementStep[] skills, string home) => new("c1", home, "chat", 10, T0, 1, skills, []);
}
