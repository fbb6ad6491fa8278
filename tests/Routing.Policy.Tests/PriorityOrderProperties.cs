using CsCheck;
using Routing.Policy.Tests.Generators;
using static Routing.Policy.Tests.Generators.Build;

namespace Routing.Policy.Tests;

/// <summary>Property tests of docs/routing.md, rule 3, inside a queue: the order is total and agrees with effective priority at any later
/// instant.</summary>
public sealed class PriorityOrderProperties
{
    private const long Iterations = 3_000;

    private static readonly Gen<double> Aging = Gen.OneOfConst(0.0, 0.01, 0.1, 0.5, 1.0, 2.0, 10.0);

    /// <summary>
    /// Two conversations and an instant after both arrived; half of the pairs sit within ±2 ms of the wait at which
    /// aging makes them level, where a sort key coarser than the clock would misorder them.
    /// </summary>
    private static readonly Gen<(PriorityOrder Order, WaitingConversation X, WaitingConversation Y, DateTimeOffset Now)> Pair = Gen.Select(
        Aging,
        Gen.Int[0, 60],
        Gen.Int[0, 60],
        Gen.Long[0, 3_600 * TimeSpan.TicksPerSecond],
        Gen.Long[-20_000, 20_000],
        Gen.Bool,
        Gen.Long[0, 86_400 * TimeSpan.TicksPerSecond],
        Gen.Long[0, 3_600 * TimeSpan.TicksPerSecond],
        (aging, px, py, xTicks, jitter, nearCrossing, laterTicks, yTicks) =>
        {
            var xSince = T0 + TimeSpan.FromTicks(xTicks);
            var ySince =
                nearCrossing && aging > 0
                    ? xSince + TimeSpan.FromTicks((long)Math.Round((py - px) / aging * TimeSpan.TicksPerSecond) + jitter)
                    : T0 + TimeSpan.FromTicks(yTicks);
            var now = (xSince > ySince ? xSince : ySince) + TimeSpan.FromTicks(laterTicks);
            return (
                new PriorityOrder(aging),
                Conversation("x", priority: px, since: xSince, arrival: 1),
                Conversation("y", priority: py, since: ySince, arrival: 2),
                now
            );
        }
    );

    /// <summary>Rounding of the key and of the effective priority together stays well inside this.</summary>
    private static double Epsilon(PriorityOrder order) => 1e-5 * Math.Max(1, order.AgingPerSecond);

    [Fact]
    public void HigherEffectivePriorityAtAnyLaterInstantSortsFirst()
    {
        var closeCalls = 0;

        Pair.Sample(
            (order, x, y, now) =>
            {
                var difference = order.EffectivePriority(x, now) - order.EffectivePriority(y, now);
                if (difference > Epsilon(order))
                {
                    Assert.True(order.Compare(x, y) < 0 && order.Compare(y, x) > 0, $"x ahead by {difference} but sorts after y");
                }
                else if (difference < -Epsilon(order))
                {
                    Assert.True(order.Compare(y, x) < 0 && order.Compare(x, y) > 0, $"y ahead by {-difference} but sorts after x");
                }
                if (Math.Abs(difference) > Epsilon(order) && Math.Abs(difference) < order.AgingPerSecond / 1_000)
                {
                    Interlocked.Increment(ref closeCalls);
                }
            },
            iter: Iterations,
            print: Show
        );

        Assert.True(closeCalls > Iterations / 20, $"only {closeCalls} pairs within a millisecond of aging of each other");
    }

    [Fact]
    public void SortKeyDifferenceIsTheEffectivePriorityDifferenceAtAnyLaterInstant() =>
        Pair.Sample(
            (order, x, y, now) =>
            {
                var byKey = order.Key(x) - order.Key(y);
                var byEffectivePriority = order.EffectivePriority(x, now) - order.EffectivePriority(y, now);
                Assert.True(
                    Math.Abs(byKey - byEffectivePriority) <= Epsilon(order),
                    $"keys differ by {byKey}, effective priorities by {byEffectivePriority}"
                );
            },
            iter: Iterations,
            print: Show
        );

    [Fact]
    public void OrderIsAStrictTotalOrderThatBreaksTiesByWaitThenArrival()
    {
        // Whole seconds and these rates keep effective priorities exact, so exact ties are common and decidable.
        var small = Gen.Select(Gen.OneOfConst(10, 11, 12), Gen.Int[0, 2], Gen.Int[0, 1]);
        Gen.Select(Gen.OneOfConst(0.0, 0.5, 1.0), small, small, small)
            .Sample(
                (aging, a, b, c) =>
                {
                    var order = new PriorityOrder(aging);
                    WaitingConversation[] three =
                    [
                        Conversation("x", priority: a.Item1, since: At(a.Item2), arrival: a.Item3),
                        Conversation("y", priority: b.Item1, since: At(b.Item2), arrival: b.Item3),
                        Conversation("z", priority: c.Item1, since: At(c.Item2), arrival: c.Item3),
                    ];
                    var now = At(10);
                    foreach (var p in three)
                    {
                        Assert.Equal(0, order.Compare(p, p));
                        foreach (var q in three.Where(q => q != p))
                        {
                            var expected =
                                -order.EffectivePriority(p, now).CompareTo(order.EffectivePriority(q, now)) is var e and not 0 ? e
                                : p.WaitingSince.CompareTo(q.WaitingSince) is var w and not 0 ? w
                                : p.Arrival.CompareTo(q.Arrival) is var byArrival and not 0 ? byArrival
                                : string.CompareOrdinal(p.Id, q.Id);
                            Assert.Equal(Math.Sign(expected), Math.Sign(order.Compare(p, q)));
                            Assert.Equal(-Math.Sign(order.Compare(p, q)), Math.Sign(order.Compare(q, p)));
                            foreach (var r in three.Where(r => r != p && r != q))
                            {
                                Assert.False(
                                    order.Compare(p, q) < 0 && order.Compare(q, r) < 0 && order.Compare(p, r) >= 0,
                                    "not transitive"
                                );
                            }
                        }
                    }
                },
                iter: Iterations
            );
    }

    [Fact]
    public void SortedLineStaysInEffectivePriorityOrderAsTimePasses() =>
        Gen.Select(
                Aging,
                PolicyGen.Conversation(0).Array[0, 20],
                Gen.Long[0, 86_400 * TimeSpan.TicksPerSecond].Array[3],
                Gen.Int[0, 999].Array[20]
            )
            .Sample(
                (aging, conversations, laters, shuffle) =>
                {
                    var order = new PriorityOrder(aging);
                    var line = conversations.Select(PolicyGen.Numbered).ToArray();
                    var sorted = line.Order(order).ToArray();

                    // The same order however the line was built: sorted once, shuffled, or kept in a sorted set.
                    Assert.Equal(sorted, line.Zip(shuffle).OrderBy(p => p.Second).Select(p => p.First).Order(order));
                    Assert.Equal(sorted, new SortedSet<WaitingConversation>(line, order));

                    foreach (var later in laters)
                    {
                        var now = PolicyGen.Now + TimeSpan.FromTicks(later);
                        foreach (var (ahead, behind) in sorted.Zip(sorted.Skip(1)))
                        {
                            Assert.True(
                                order.EffectivePriority(ahead, now) >= order.EffectivePriority(behind, now) - Epsilon(order),
                                $"{ahead.Id} sorts before {behind.Id} but has lower effective priority at {now:O}"
                            );
                        }
                    }
                },
                iter: Iterations / 3
            );

    private static string Show((PriorityOrder Order, WaitingConversation X, WaitingConversation Y, DateTimeOffset Now) pair) =>
        $"aging={pair.Order.AgingPerSecond} now={pair.Now:O} "
        + $"x(p={pair.X.Priority}, since={pair.X.WaitingSince:O}) y(p={pair.Y.Priority}, since={pair.Y.WaitingSince:O})";
}
