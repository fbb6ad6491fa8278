using CsCheck;
using Routing.Contracts;
using Routing.Grains.Agents;
using Routing.Ledger;

namespace Routing.Tests.Agents;

/// <summary>
/// Where an agent stands, without a silo: a status change writes what docs/routing.md (rule 5) says of reasons, idle
/// time and missed offers; every change grows the version the queues' mirrors order reports by (docs/architecture.md,
/// "The grains"); a reservation is refused for what the agent is before what its book holds; and an activation takes
/// back exactly the slots the ledger says the agent holds or has a pending offer for (docs/reliability.md).
/// </summary>
public sealed class AgentStandingProperties
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 11, 0, 0, 0, TimeSpan.Zero);

    private static readonly AgentDefinition Serving = new(
        "A",
        new Dictionary<string, int> { ["billing"] = 3 },
        new Dictionary<string, int> { ["chat"] = 2, ["voice"] = 1 },
        null,
        [new QueueMembership("q1", 1), new QueueMembership("q2", 2)]
    );

    private static readonly Gen<AgentRecord> Records = Gen.Select(
            Gen.Enum<AgentStatus>(),
            Gen.OneOfConst<string?>(null, "lunch", "missed-offers"),
            Gen.Int[0, 600],
            Gen.Int[0, 600],
            Gen.Int[0, 3]
        )
        .Select(
            (status, reason, since, idle, missed) =>
                new AgentRecord("a1", Serving, status, reason, T0.AddSeconds(since), T0.AddSeconds(idle), missed, T0)
        );

    [Fact]
    public void AStatusChangeKeepsReasonsIdleTimeAndMissedOffersAsTheRulesSay() =>
        Gen.Select(Records, Gen.Enum<AgentStatus>(), Gen.OneOfConst<string?>(null, "meeting"))
            .Sample(
                (record, status, reason) =>
                {
                    var now = T0.AddHours(1);
                    var next = AgentStanding.WithStatus(record, status, reason, now);
                    var cameBack = status == AgentStatus.Available && record.Status != AgentStatus.Available;

                    Assert.Equal(status, next.Status);
                    var expectedReason = status switch
                    {
                        AgentStatus.Available => null,
                        AgentStatus.Away => reason ?? "away",
                        _ => reason,
                    };
                    Assert.Equal(expectedReason, next.Reason);
                    Assert.Equal(record.Status == status ? record.StatusSince : now, next.StatusSince);
                    Assert.Equal(cameBack ? now : record.IdleSince, next.IdleSince);
                    Assert.Equal(cameBack ? 0 : record.MissedOffersInRow, next.MissedOffersInRow);
                    Assert.Same(record.Definition, next.Definition);
                }
            );

    [Fact]
    public void EveryChangeGrowsTheVersionAndOnlyAStatusOrReasonChangeIsAnnounced() =>
        Gen.Select(Records, Records.Array[1, 20])
            .Sample(
                (first, saves) =>
                {
                    var standing = new AgentStanding("a1", version: 7);
                    Assert.True(standing.Saved(first));
                    foreach (var next in saves)
                    {
                        var (before, version) = (standing.Record!, standing.Version);
                        var announced = standing.Saved(next);
                        Assert.Equal(before.Status != next.Status || before.Reason != next.Reason, announced);
                        Assert.True(standing.Version > version);
                        version = standing.Version;
                        standing.Changed();
                        Assert.True(standing.Version > version);
                    }
                }
            );

    [Fact]
    public void ANewAgentStartsOfflineAndARedefinedOneKeepsItsStatusAndSaysWhichQueuesItLeft()
    {
        var standing = new AgentStanding("a1", version: 1);
        var created = standing.Defined(Serving, T0);
        Assert.Equal((AgentStatus.Offline, T0, T0, 0), (created.Status, created.StatusSince, created.IdleSince, created.MissedOffersInRow));
        Assert.Empty(standing.QueuesLeftBy(Serving));
        standing.Saved(AgentStanding.WithStatus(created, AgentStatus.Available, null, T0.AddMinutes(1)));

        var narrower = Serving with { Queues = [new QueueMembership("q2", 1), new QueueMembership("q3", 2)] };
        var redefined = standing.Defined(narrower, T0.AddMinutes(2));

        Assert.Equal(["q1"], standing.QueuesLeftBy(narrower));
        Assert.Equal((AgentStatus.Available, narrower, T0.AddMinutes(2)), (redefined.Status, redefined.Definition, redefined.UpdatedAt));
    }

    [Fact]
    public void AReservationIsRefusedForWhatTheAgentIsBeforeWhatItsBookHolds()
    {
        var request = new ReserveSlot("c1", "chat", "q9", T0.AddSeconds(15));
        var standing = new AgentStanding("a1", version: 1);
        Assert.Equal("unknown-agent", standing.Reserve(request, direct: true, T0));

        var offline = standing.Defined(Serving, T0);
        standing.Saved(offline);
        Assert.Equal("not-available", standing.Reserve(request, direct: true, T0));

        standing.Saved(offline with { Status = AgentStatus.Available });
        Assert.Equal("does-not-serve-queue", standing.Reserve(request, direct: false, T0));
        Assert.Null(standing.Reserve(request, direct: true, T0)); // a transfer to the agent, whatever its queues
        Assert.Null(standing.Reserve(request with { ConversationId = "c2", QueueId = "q1" }, direct: false, T0));
        Assert.Equal("no-room", standing.Reserve(request with { ConversationId = "c3", QueueId = "q1" }, direct: false, T0));
    }

    [Fact]
    public void TheAvailabilityCarriesTheVersionTheRanksAndTheSlotsInUse()
    {
        var standing = new AgentStanding("a1", version: 41);
        standing.Saved(standing.Defined(Serving, T0) with { Status = AgentStatus.Available });
        Assert.Null(standing.Reserve(new ReserveSlot("c1", "voice", "q2", T0.AddSeconds(15)), direct: false, T0));
        standing.Changed();

        var availability = standing.Availability(T0);

        Assert.Equal(43, availability.Version);
        Assert.Equal(new Dictionary<string, int> { ["q1"] = 1, ["q2"] = 2 }, availability.QueueRanks);
        Assert.Equal(new Dictionary<string, int> { ["voice"] = 1 }, availability.InUse);
        Assert.True(standing.IsReady(availability)); // chat has room
        Assert.Same(availability.QueueRanks, standing.Availability(T0).QueueRanks); // made once per definition

        Assert.Null(standing.Reserve(new ReserveSlot("c2", "chat", "q1", T0.AddSeconds(15)), direct: false, T0));
        Assert.Null(standing.Reserve(new ReserveSlot("c3", "chat", "q1", T0.AddSeconds(15)), direct: false, T0));
        Assert.False(standing.IsReady(standing.Availability(T0)));
        Assert.Equal(["c1", "c2", "c3"], standing.View().Offers.Select(o => o.ConversationId).Order());
    }

    [Fact]
    public void AnActivationTakesBackWhatTheAgentHoldsAndTheOffersStillPendingForIt()
    {
        var record = new AgentRecord("a1", Serving, AgentStatus.Available, null, T0, T0, 0, T0);
        var pending = new OfferRecord("a1", T0, "pending", null, T0.AddSeconds(15));
        var conversations = new[]
        {
            Conversation("connected", ConversationState.Connected, connectedAt: T0.AddSeconds(3)),
            Conversation("wrap-up", ConversationState.WrapUp),
            Conversation("offered", ConversationState.Offered, offers: [pending]),
            Conversation("offered-elsewhere", ConversationState.Offered, offers: [pending with { AgentId = "a2" }]),
            Conversation("answered", ConversationState.Offered, offers: [pending with { Answer = "declined" }]),
            Conversation("no-deadline", ConversationState.Offered, offers: [pending with { ExpiresAt = null }]),
            Conversation("superseded", ConversationState.Offered, offers: [pending, pending with { AgentId = "a2" }]),
            Conversation("queued", ConversationState.Queued),
            Conversation("completed", ConversationState.Completed),
        };
        var standing = new AgentStanding("a1", version: 1);

        standing.Restore(record, conversations);

        Assert.Same(record, standing.Record);
        Assert.Equal(["connected", "wrap-up"], standing.Book.Assignments.Select(a => a.ConversationId).Order());
        Assert.Equal(T0.AddSeconds(3), standing.Book.AssignmentOf("connected")!.Since);
        Assert.Equal(T0.AddSeconds(9), standing.Book.AssignmentOf("wrap-up")!.Since); // no connection time: its last write
        Assert.Equal(["offered"], standing.Book.Offers.Select(o => o.ConversationId));
        Assert.Equal(T0.AddSeconds(15), standing.Book.Offers.Single().ExpiresAt);
        Assert.Equal(2, standing.Book.Capacity.LimitFor("chat"));
    }

    private static ConversationRecord Conversation(
        string id,
        ConversationState state,
        DateTimeOffset? connectedAt = null,
        IReadOnlyList<OfferRecord>? offers = null
    ) =>
        new(
            id,
            state,
            "chat",
            "q1",
            new Customer("c-" + id, null, "standard"),
            0,
            [],
            new Dictionary<string, string>(),
            state is ConversationState.Connected or ConversationState.WrapUp ? "a1" : null,
            T0,
            0,
            [],
            offers ?? [],
            connectedAt,
            null,
            null,
            null,
            null,
            T0.AddSeconds(9),
            [],
            []
        );
}
