using CsCheck;
using Routing.Contracts;
using Routing.Grains.Conversations;
using Routing.Ledger;
using Routing.LoadTests.Audit;

namespace Routing.Tests.Conversations;

/// <summary>
/// The conversation's lifecycle, without a silo (docs/conversations.md): whatever commands arrive in whatever order —
/// offers, accepts, declines, timeouts, completions, transfers, moves, abandonment, ratings — each is either refused or
/// makes a step the auditor's own, independently written rules accept, and the record always says the same as its
/// timeline: who holds it, which offer is pending, since when the customer waits.
/// </summary>
public sealed class ConversationLifecycleProperties
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 11, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Agents = ["a0", "a1", "a2"];
    private static readonly string[] Queues = ["q0", "q1"];

    private enum Command
    {
        Offer,
        Accept,
        Decline,
        TimeOut,
        Complete,
        EndWrapUp,
        TransferToQueue,
        TransferToAgent,
        Move,
        Abandon,
        Rate,
        Message,
    }

    private static readonly Gen<(Command Command, int Agent, int Queue, int Seconds, int Score)> Commands = Gen.Select(
        Gen.Enum<Command>(),
        Gen.Int[0, Agents.Length - 1],
        Gen.Int[0, Queues.Length - 1],
        Gen.Int[0, 60],
        Gen.Int[0, 6]
    );

    [Fact]
    public void EveryCommandIsRefusedOrMakesAStepTheAuditorFindsLegalAndTheRecordAgreesWithItsTimeline() =>
        Gen.Select(Commands.Array[0, 40], Gen.Int[0, 30])
            .Sample(
                (commands, wrapUp) =>
                {
                    var now = T0;
                    var request = new StartConversation(
                        "chat",
                        "q0",
                        new Customer("c1", null, "standard"),
                        10,
                        [],
                        new Dictionary<string, string>(),
                        null
                    );
                    var created = ConversationLifecycle.Create("conv-1", request, 1, now);
                    var record = created.Next;
                    var timeline = created.Transitions.ToList();
                    var excluded = 0;
                    foreach (var (command, a, q, seconds, score) in commands)
                    {
                        now = now.AddSeconds(seconds);
                        var agent = Agents[a];
                        ConversationLifecycle.Step step;
                        try
                        {
                            step = command switch
                            {
                                Command.Offer when record.State == ConversationState.Queued && !record.ExcludedAgents.Contains(agent) =>
                                    ConversationLifecycle.Offer(record, agent, now.AddSeconds(15), record.QueueId, null, now),
                                Command.Offer => throw RoutingException.Conflict("skipped", "the queue would not offer it"),
                                Command.Accept => ConversationLifecycle.Accept(record, agent, now),
                                Command.Decline => ConversationLifecycle.ReturnToLine(
                                    ConversationLifecycle.RequireOfferHeldBy(record, agent),
                                    "declined",
                                    agent,
                                    "declined",
                                    now
                                ),
                                Command.TimeOut => ConversationLifecycle.ReturnToLine(
                                    record,
                                    "offer-timed-out",
                                    record.AgentId,
                                    "timed-out",
                                    now
                                ),
                                Command.Complete => ConversationLifecycle.Complete(record, agent, "done", wrapUp, now),
                                Command.EndWrapUp => ConversationLifecycle.EndWrapUp(record, now),
                                Command.TransferToQueue => ConversationLifecycle.TransferToQueue(record, agent, Queues[q], now),
                                Command.TransferToAgent when record.State == ConversationState.Connected && record.AgentId != agent =>
                                    ConversationLifecycle.Offer(record, agent, now.AddSeconds(15), record.QueueId, "transferred", now),
                                Command.TransferToAgent => throw RoutingException.Conflict(
                                    "skipped",
                                    "the grain refuses a transfer to the holder"
                                ),
                                Command.Move => ConversationLifecycle.MoveToQueue(record, Queues[q], now),
                                Command.Abandon => ConversationLifecycle.Abandon(record, now),
                                Command.Rate => ConversationLifecycle.Rate(record, score),
                                _ => Message(record, a == 0 ? "customer" : "agent", agent),
                            };
                        }
                        catch (RoutingException)
                        {
                            continue; // refused: the record stands as it was
                        }
                        Assert.Equal(record.CreatedAt, step.Next.CreatedAt); // the wait always counts from creation
                        Assert.True(step.Next.ExcludedAgents.Count >= excluded, "an excluded agent was let back in");
                        Assert.False(
                            record.State.IsFinal() && step.Transitions.Count > 0,
                            $"{command} moved a {record.State} conversation"
                        );
                        excluded = step.Next.ExcludedAgents.Count;
                        record = step.Next;
                        timeline.AddRange(step.Transitions);

                        var pending = record.Offers.Where(o => o.Answer == "pending").ToList();
                        Assert.Equal(record.State == ConversationState.Offered ? 1 : 0, pending.Count);
                        if (record.State == ConversationState.Offered)
                        {
                            Assert.Same(record.Offers[^1], pending[0]);
                            Assert.Equal(record.AgentId, pending[0].AgentId);
                        }
                        Assert.Equal(
                            record.State is ConversationState.Offered or ConversationState.Connected or ConversationState.WrapUp
                                || (record.State == ConversationState.Completed),
                            record.AgentId is not null
                        );
                        if (record.State == ConversationState.Connected)
                        {
                            Assert.NotNull(record.ConnectedAt);
                        }
                        if (record.State is ConversationState.Queued or ConversationState.Offered)
                        {
                            Assert.Null(record.ConnectedAt);
                        }
                    }
                    var written = record with { Timeline = timeline };
                    var agents = Agents
                        .Select(id => new AgentRecord(
                            id,
                            new AgentDefinition(id, new Dictionary<string, int>(), new Dictionary<string, int> { ["chat"] = 10 }, null, []),
                            AgentStatus.Available,
                            null,
                            T0,
                            T0,
                            0,
                            T0
                        ))
                        .ToList();
                    var audit = LedgerAudit.Check([written], agents, ["conv-1"]);
                    Assert.True(audit.Violations.Count == 0, string.Join("\n", audit.Violations.Select(v => $"{v.Kind}: {v.Detail}")));
                },
                iter: 3000
            );

    [Fact]
    public void ACompletedConversationTakesNothingButOneRating()
    {
        var record = Completed();

        Assert.Equal(4, ConversationLifecycle.Rate(record, 4).Next.Rating);
        var rated = ConversationLifecycle.Rate(record, 4).Next;
        Assert.Equal("already-rated", Assert.Throws<RoutingException>(() => ConversationLifecycle.Rate(rated, 5)).Code);
        Assert.Equal("conversation-not-waiting", Assert.Throws<RoutingException>(() => ConversationLifecycle.Abandon(record, T0)).Code);
        Assert.Equal(
            "not-connected",
            Assert.Throws<RoutingException>(() => ConversationLifecycle.Complete(record, "a0", null, 0, T0)).Code
        );
        Assert.Equal(
            "conversation-ended",
            Assert.Throws<RoutingException>(() => ConversationLifecycle.MessageAuthor(record, "customer", null)).Code
        );
        Assert.Equal("invalid-field", Assert.Throws<RoutingException>(() => ConversationLifecycle.Rate(record, 6)).Code);
    }

    [Fact]
    public void AMessageIsNumberedAfterTheTranscriptAndRefusedPastItsLimits()
    {
        var options = new RoutingOptions { MaxMessageLength = 10, MaxTranscriptMessages = 3 }.WithDefaults();
        var waiting = ConversationLifecycle.Create("conv-1", Request("chat"), 1, T0).Next;

        var message = ConversationLifecycle.Message(waiting, 2, "customer", null, "hello", options, T0);
        Assert.Equal((3L, "customer", (string?)null), (message.Sequence, message.From, message.AgentId));
        Assert.Equal(
            "message-too-large",
            Refused(() => ConversationLifecycle.Message(waiting, 0, "customer", null, "hello there", options, T0))
        );
        Assert.Equal("transcript-full", Refused(() => ConversationLifecycle.Message(waiting, 3, "customer", null, "hi", options, T0)));
        var voice = ConversationLifecycle.Create("conv-2", Request("voice"), 1, T0).Next;
        Assert.Equal("no-transcript", Refused(() => ConversationLifecycle.Message(voice, 0, "customer", null, "hi", options, T0)));
        Assert.Equal("not-connected", Refused(() => ConversationLifecycle.Message(waiting, 0, "agent", "a0", "hi", options, T0)));
    }

    [Fact]
    public void ACreateForAnExistingConversationIsAReplayOnlyWithTheSameKeyAndRequestWithinTheWindow()
    {
        var record = ConversationLifecycle.Create("conv-1", Request("chat") with { RequestHash = "h1" }, 1, T0).Next;
        var window = TimeSpan.FromHours(24);

        ConversationLifecycle.RequireReplay(record, "h1", window, T0.AddHours(23));
        Assert.Equal("idempotency-key-reused", Refused(() => ConversationLifecycle.RequireReplay(record, "h2", window, T0)));
        Assert.Equal("idempotency-key-expired", Refused(() => ConversationLifecycle.RequireReplay(record, "h1", window, T0.AddHours(25))));
        Assert.Equal("conversation-exists", Refused(() => ConversationLifecycle.RequireReplay(record, null, window, T0)));
        var keyless = ConversationLifecycle.Create("conv-2", Request("chat"), 1, T0).Next;
        Assert.Equal("conversation-exists", Refused(() => ConversationLifecycle.RequireReplay(keyless, "h1", window, T0)));
    }

    private static StartConversation Request(string channel) =>
        new(channel, "q0", new Customer("c1", null, "standard"), 10, [], new Dictionary<string, string>(), null);

    private static string Refused(Action act) => Assert.Throws<RoutingException>(act).Code;

    /// <summary>A message changes no state: the step is the record as it was, if the author may write now.</summary>
    private static ConversationLifecycle.Step Message(ConversationRecord record, string from, string agent)
    {
        ConversationLifecycle.MessageAuthor(record, from, agent);
        return new ConversationLifecycle.Step(record, Array.Empty<ConversationTransition>());
    }

    private static ConversationRecord Completed()
    {
        var request = new StartConversation(
            "chat",
            "q0",
            new Customer("c1", null, "standard"),
            10,
            [],
            new Dictionary<string, string>(),
            null
        );
        var record = ConversationLifecycle.Create("conv-1", request, 1, T0).Next;
        record = ConversationLifecycle.Offer(record, "a0", T0.AddSeconds(15), "q0", null, T0).Next;
        record = ConversationLifecycle.Accept(record, "a0", T0.AddSeconds(1)).Next;
        return ConversationLifecycle.Complete(record, "a0", "done", 0, T0.AddSeconds(60)).Next;
    }
}
