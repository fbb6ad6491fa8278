using Routing.Contracts;
using Routing.Ledger;
using Routing.LoadTests.Audit;
using static Routing.Contracts.ConversationState;

namespace Routing.Tests.LoadTests;

/// <summary>
/// The auditor on timelines made up for each rule (docs/reliability.md, "The auditor"): a clean ledger passes, and
/// each broken rule is found and named.
/// </summary>
public sealed class LedgerAuditTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 11, 0, 0, 0, TimeSpan.Zero);

    private static readonly AgentRecord[] Agents = [Agent("ann", chat: 2, maxTotal: 3), Agent("bob", chat: 1, maxTotal: null)];

    private static AgentRecord Agent(string id, int chat, int? maxTotal) =>
        new(
            id,
            new AgentDefinition(
                id,
                new Dictionary<string, int>(),
                new Dictionary<string, int> { ["chat"] = chat, ["email"] = 5 },
                maxTotal,
                []
            ),
            AgentStatus.Available,
            null,
            T0,
            T0,
            0,
            T0
        );

    /// <summary>A conversation through the given steps, each (state, second, agent); created at the first step's second.</summary>
    private static ConversationRecord Conversation(
        string id,
        string channel,
        int priority,
        params (ConversationState State, int Second, string? Agent)[] steps
    )
    {
        var timeline = steps.Select(s => new ConversationTransition(s.State, T0.AddSeconds(s.Second), s.Agent, "q", null)).ToList();
        var offers = steps
            .Where(s => s.State == Offered)
            .Select(s => new OfferRecord(s.Agent!, T0.AddSeconds(s.Second), "accepted", null))
            .ToList();
        return new ConversationRecord(
            id,
            steps[^1].State,
            channel,
            "q",
            new Customer("c-" + id, null, "standard"),
            priority,
            [],
            new Dictionary<string, string>(),
            steps[^1].Agent,
            T0.AddSeconds(steps[0].Second),
            steps[0].Second,
            [],
            offers,
            null,
            null,
            null,
            null,
            null,
            T0,
            timeline,
            []
        );
    }

    private static ConversationRecord Served(
        string id,
        int created,
        int offered,
        int ended,
        string agent,
        string channel = "chat",
        int priority = 10
    ) =>
        Conversation(
            id,
            channel,
            priority,
            (Created, created, null),
            (Queued, created, null),
            (Offered, offered, agent),
            (Connected, offered, agent),
            (WrapUp, ended, agent),
            (Completed, ended, agent)
        );

    [Fact]
    public void ACleanLedgerPassesWithItsCounts()
    {
        ConversationRecord[] ledger =
        [
            Served("a", 0, 1, 10, "ann"),
            Served("b", 0, 2, 10, "ann"),
            Served("c", 1, 10, 20, "ann"), // takes the slot a freed at the same instant
            Served("d", 2, 3, 9, "bob"),
            Conversation("e", "chat", 10, (Created, 3, null), (Queued, 3, null), (Abandoned, 8, null)),
            Conversation("f", "email", 10, (Created, 4, null), (Queued, 4, null), (Offered, 5, "ann"), (Queued, 6, "ann")),
        ];

        var report = LedgerAudit.Check(ledger, Agents, acknowledged: ["a", "b", "c", "d", "e", "f"]);

        Assert.True(report.Passed, string.Join("\n", report.Violations));
        Assert.Equal((6, 4, 1, 1), (report.Conversations, report.ByState[Completed], report.ByState[Abandoned], report.ByState[Queued]));
        Assert.Equal(5, report.Offers);
        Assert.Equal(6, report.Acknowledged);
    }

    [Fact]
    public void AnAcknowledgedCreateMissingFromTheLedgerIsLost()
    {
        var report = LedgerAudit.Check([Served("a", 0, 1, 2, "ann")], Agents, acknowledged: ["a", "ghost"]);

        Assert.False(report.Passed);
        Assert.Equal(["ghost"], report.MissingAcknowledged);
        Assert.Equal(1, report.Count(LedgerAudit.Lost));
    }

    [Fact]
    public void AnOfferToASecondAgentWhileTheFirstHoldsItIsHeldByTwo()
    {
        var twice = Conversation("x", "chat", 10, (Created, 0, null), (Queued, 0, null), (Offered, 1, "ann"), (Offered, 2, "bob"));
        var stolen = Conversation("y", "chat", 10, (Created, 0, null), (Queued, 0, null), (Offered, 1, "ann"), (Connected, 2, "bob"));

        var report = LedgerAudit.Check([twice, stolen], Agents);

        Assert.Equal(1, report.Count(LedgerAudit.HeldByTwo));
        Assert.Equal(1, report.Count(LedgerAudit.IllegalStep));
        Assert.Contains(report.Violations, v => v.Subject == "y");
    }

    [Fact]
    public void AnAgentHoldingMoreThanItsChannelsCapacityOrItsTotalIsOverCapacity()
    {
        // bob takes one chat at a time; the second overlaps the first by a second.
        var overChannel = LedgerAudit.Check([Served("a", 0, 1, 10, "bob"), Served("b", 0, 9, 12, "bob")], Agents);
        Assert.Equal(1, overChannel.Count(LedgerAudit.OverCapacity));
        Assert.Contains("capacity 1", overChannel.Violations.Single().Detail, StringComparison.Ordinal);

        // ann: two chats and two emails are within each channel, but four are over her total of three. An offer holds a slot.
        var overTotal = LedgerAudit.Check(
            [
                Served("a", 0, 1, 10, "ann"),
                Served("b", 0, 1, 10, "ann"),
                Served("c", 0, 2, 10, "ann", "email"),
                Conversation("d", "email", 10, (Created, 0, null), (Queued, 0, null), (Offered, 3, "ann"), (Queued, 4, "ann")),
            ],
            Agents
        );
        Assert.Equal(1, overTotal.Count(LedgerAudit.OverCapacity));
        Assert.Contains("at most 3", overTotal.Violations.Single().Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOfferNeverAnsweredHoldsItsSlotOnlyUntilItsDeadlineAndGrace()
    {
        // bob's offer of "lost" died with its silo and was recorded lost only 60 s later; the agent let go of it after
        // 15 s (the default timeout) and 5 s of grace, and took "next" at 21 s: not over capacity. At 19 s it would be.
        var lost = Conversation("lost", "chat", 10, (Created, 0, null), (Queued, 0, null), (Offered, 0, "bob"), (Queued, 60, "bob"));
        Assert.True(LedgerAudit.Check([lost, Served("next", 1, 21, 30, "bob")], Agents).Passed);
        Assert.Equal(1, LedgerAudit.Check([lost, Served("next", 1, 19, 30, "bob")], Agents).Count(LedgerAudit.OverCapacity));

        // A queue's own timeout counts: 60 s there.
        var patient = new QueueInfo(
            "q",
            new QueueDefinition("Q", new ServiceLevelGoal(20, 80), "longest-idle", 0, new Dictionary<string, int>(), 60, null, null),
            T0
        );
        Assert.Equal(
            1,
            LedgerAudit.Check([lost, Served("next", 1, 21, 30, "bob")], Agents, queues: [patient]).Count(LedgerAudit.OverCapacity)
        );
    }

    [Fact]
    public void StepsTheLifecycleCannotMakeAreIllegal()
    {
        var report = LedgerAudit.Check(
            [
                Conversation("no-start", "chat", 10, (Queued, 0, null)),
                Conversation("revived", "chat", 10, (Created, 0, null), (Queued, 0, null), (Abandoned, 1, null), (Queued, 2, null)),
                Conversation("skipped", "chat", 10, (Created, 0, null), (Queued, 0, null), (Offered, 1, "ann"), (Completed, 2, "ann")),
            ],
            Agents
        );

        Assert.Equal(["no-start", "revived", "skipped"], report.Violations.Select(v => v.Subject).Order());
        Assert.All(report.Violations, v => Assert.Equal(LedgerAudit.IllegalStep, v.Kind));
    }

    [Fact]
    public void ALaterArrivalOfTheSameOrLowerPriorityOfferedFirstOvertakes()
    {
        ConversationRecord[] ledger =
        [
            Served("first", 0, 5, 9, "ann"),
            Served("second", 1, 2, 9, "ann"), // overtook "first"
            // created with "first": no order between them
            Conversation("racing", "chat", 10, (Created, 0, null), (Queued, 0, null), (Offered, 1, "bob"), (Queued, 2, "bob")),
            Served("vip", 2, 3, 9, "bob", priority: 50), // higher priority: overtaking allowed, not counted
            // "vip" was offered while it waited, but vip is higher
            Conversation("left", "chat", 10, (Created, 3, null), (Queued, 3, null), (Abandoned, 4, null)),
            Served("later", 4, 6, 9, "bob"),
        ];

        var report = LedgerAudit.Check(ledger, Agents);

        Assert.Equal(6, report.OrderedConversations);
        Assert.Equal(1, report.Overtaken);
        Assert.Equal(1 / 6.0, report.OvertakenShare, 3);
    }

    [Fact]
    public void TheSelfServiceStepEndsResolvedOrAbandonedOrEscalatesAndItsWaitForAPersonStartsAtTheEscalation()
    {
        var resolved = Conversation("resolved", "chat", 10, (Created, 0, null), (SelfService, 0, null), (Resolved, 3, null));
        var left = Conversation("left", "chat", 10, (Created, 0, null), (SelfService, 0, null), (Abandoned, 2, null));
        // created first, but in line only from second 6: the later arrival offered at second 5 did not overtake it
        var escalated = Conversation(
            "escalated",
            "chat",
            10,
            (Created, 0, null),
            (SelfService, 0, null),
            (Queued, 6, null),
            (Offered, 7, "bob"),
            (Connected, 7, "bob"),
            (WrapUp, 9, "bob"),
            (Completed, 9, "bob")
        );
        var later = Served("later", 2, 5, 6, "ann");
        var report = LedgerAudit.Check([resolved, left, escalated, later], Agents);

        Assert.True(report.Passed, string.Join("\n", report.Violations));
        Assert.Equal((1, 1, 2), (report.ByState[Resolved], report.ByState[Abandoned], report.ByState[Completed]));
        Assert.Equal((2, 0), (report.OrderedConversations, report.Overtaken));
        var reopened = Conversation(
            "reopened",
            "chat",
            10,
            (Created, 0, null),
            (SelfService, 0, null),
            (Resolved, 3, null),
            (Queued, 4, null)
        );
        Assert.Equal(1, LedgerAudit.Check([reopened], Agents).Count(LedgerAudit.IllegalStep));
    }
}
