using static Routing.Policy.Tests.Generators.Build;

namespace Routing.Policy.Tests;

/// <summary>docs/routing.md, rule 3, inside a queue: base priority plus aging times wait, ties to the longest waiting.</summary>
public sealed class PriorityOrderTests
{
    private const int Standard = 10;
    private const int Vip = 50;

    private static WaitingConversation[] Sorted(PriorityOrder order, params WaitingConversation[] line) => [.. line.Order(order)];

    private static string[] Ids(IEnumerable<WaitingConversation> line) => [.. line.Select(c => c.Id)];

    [Fact]
    public void VipConversationIsOrderedBeforeOlderStandardOne()
    {
        var order = new PriorityOrder(0.1);
        var standard = Conversation("standard", priority: Standard, since: T0);
        var vip = Conversation("vip", priority: Vip, since: At(10));

        Assert.Equal(["vip", "standard"], Ids(Sorted(order, standard, vip)));
    }

    [Fact]
    public void EffectivePriorityIsBasePriorityPlusAgingTimesSecondsWaited()
    {
        var order = new PriorityOrder(0.5);
        var conversation = Conversation(priority: Standard, since: T0);

        Assert.Equal(Standard, order.EffectivePriority(conversation, T0));
        Assert.Equal(Standard + 0.5 * 90, order.EffectivePriority(conversation, At(90)), 9);
    }

    [Fact]
    public void ConversationDoesNotAgeBeforeItStartsWaiting() =>
        Assert.Equal(Standard, new PriorityOrder(0.5).EffectivePriority(Conversation(priority: Standard, since: At(60)), T0));

    // With aging 0.5/s a VIP (50) is 40 points ahead of a standard (10) conversation: a standard one that has
    // waited 80 s when the VIP arrives is level with it for ever after.
    [Fact]
    public void FreshVipStaysAheadOfStandardOneThatWaitedJustUnderTheCrossing()
    {
        var order = new PriorityOrder(0.5);
        var standard = Conversation("standard", priority: Standard, since: T0);
        var vip = Conversation("vip", priority: Vip, since: At(79.999));

        Assert.True(order.Compare(vip, standard) < 0);
        Assert.True(order.EffectivePriority(vip, At(500)) > order.EffectivePriority(standard, At(500)));
    }

    [Fact]
    public void StandardConversationThatWaitedJustOverTheCrossingOvertakesFreshVip()
    {
        var order = new PriorityOrder(0.5);
        var standard = Conversation("standard", priority: Standard, since: T0);
        var vip = Conversation("vip", priority: Vip, since: At(80.001));

        Assert.True(order.Compare(standard, vip) < 0);
        Assert.True(order.EffectivePriority(standard, At(500)) > order.EffectivePriority(vip, At(500)));
    }

    [Fact]
    public void AtTheCrossingTheLongerWaitingConversationGoesFirst()
    {
        var order = new PriorityOrder(0.5);
        var standard = Conversation("standard", priority: Standard, since: T0, arrival: 2);
        var vip = Conversation("vip", priority: Vip, since: At(80), arrival: 1);

        Assert.Equal(order.EffectivePriority(standard, At(500)), order.EffectivePriority(vip, At(500)));
        Assert.True(order.Compare(standard, vip) < 0);
    }

    [Fact]
    public void WithoutAgingAStandardConversationNeverOvertakesAVipOne()
    {
        var order = new PriorityOrder(0);
        var standard = Conversation("standard", priority: Standard, since: T0);
        var vip = Conversation("vip", priority: Vip, since: At(86_400));

        Assert.True(order.Compare(vip, standard) < 0);
    }

    [Fact]
    public void EqualPriorityIsFirstInFirstOut()
    {
        var order = new PriorityOrder(0.5);
        var line = Sorted(
            order,
            Conversation("third", since: At(2), arrival: 1),
            Conversation("first", since: T0, arrival: 3),
            Conversation("second", since: At(0.001), arrival: 2)
        );

        Assert.Equal(["first", "second", "third"], Ids(line));
    }

    [Fact]
    public void SameInstantTieIsBrokenByArrival()
    {
        var order = new PriorityOrder(0.5);
        var line = Sorted(order, Conversation("later", since: T0, arrival: 8), Conversation("earlier", since: T0, arrival: 7));

        Assert.Equal(["earlier", "later"], Ids(line));
    }

    [Fact]
    public void OrderFollowsEffectivePriorityBelowOneMillisecond()
    {
        // x is 0.4 ms of aging ahead of y for ever: 11 + (now - 1.0005 s) against 10 + (now - 0.0009 s).
        var order = new PriorityOrder(1);
        var x = Conversation("x", priority: 11, since: T0 + TimeSpan.FromTicks(10_005_000), arrival: 2);
        var y = Conversation("y", priority: 10, since: T0 + TimeSpan.FromTicks(9_000), arrival: 1);

        Assert.True(order.EffectivePriority(x, At(10)) > order.EffectivePriority(y, At(10)));
        Assert.True(order.Compare(x, y) < 0);
    }

    [Fact]
    public void SortKeyDifferenceIsTheEffectivePriorityDifferenceAtAnyInstant()
    {
        var order = new PriorityOrder(0.25);
        var x = Conversation("x", priority: 30, since: At(12.5));
        var y = Conversation("y", priority: 10, since: At(3));

        foreach (var now in new[] { At(12.5), At(100), At(86_400) })
        {
            Assert.Equal(order.EffectivePriority(x, now) - order.EffectivePriority(y, now), order.Key(x) - order.Key(y), 6);
        }
    }

    [Fact]
    public void ConversationComparesEqualOnlyToItself()
    {
        var order = new PriorityOrder(0.5);
        var x = Conversation("x");

        Assert.Equal(0, order.Compare(x, x));
        Assert.NotEqual(0, order.Compare(x, Conversation("y")));
        Assert.True(order.Compare(x, null) < 0);
        Assert.True(order.Compare(null, x) > 0);
    }

    [Fact]
    public void NegativeAgingRateIsRejected() => Assert.Throws<ArgumentOutOfRangeException>(() => new PriorityOrder(-0.1));
}
