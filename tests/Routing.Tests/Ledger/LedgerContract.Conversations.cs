using Routing.Contracts;
using Routing.Contracts.Knowledge;
using Routing.Ledger;
using static Routing.Tests.Ledger.LedgerSamples;

namespace Routing.Tests.Ledger;

public abstract partial class LedgerContract
{
    [Fact]
    public async Task SavedConversationRoundTripsWithTimelineAndTranscript()
    {
        var ledger = await OpenAsync();
        var conversation = Conversation("c1", ConversationState.Completed);
        ConversationTransition[] timeline = [Transition(ConversationState.Created, 0), Transition(ConversationState.Queued, 0)];
        TranscriptMessage[] transcript = [Message(1, "我的订单没到"), Message(2, "I can help.", from: "agent")];

        await ledger.SaveConversationAsync(Acme, Change(conversation, timeline, transcript));

        Structural.Equal(conversation.With(timeline, transcript), await ledger.GetConversationAsync(Acme, "c1"));
    }

    [Fact]
    public async Task NotesAreKeptApartFromTheTranscriptNumberedOnTheirOwnAndReadInOrder()
    {
        var ledger = await OpenAsync();
        var conversation = Conversation("c1", ConversationState.Connected);
        ConversationTransition[] timeline = [Transition(ConversationState.Created, 0)];
        TranscriptMessage[] transcript = [Message(1, "Hello"), Message(2, "Hi, I am Ann.", from: "agent")];
        ConversationNote[] notes =
        [
            new(1, T0.AddSeconds(3), ConversationNote.Monitor, "sam", ""),
            new(2, T0.AddSeconds(4), ConversationNote.Whisper, "sam", "提供快速退款"),
            new(3, T0.AddSeconds(5), ConversationNote.BargeIn, "sam", ""),
        ];

        await ledger.SaveConversationAsync(Acme, Change(conversation, timeline, transcript[..1]));
        await ledger.SaveConversationAsync(Acme, new ConversationChange(conversation, [], [], NewNotes: notes[..2]));
        await ledger.SaveConversationAsync(Acme, new ConversationChange(conversation, [], [transcript[1]], NewNotes: notes[2..]));

        Structural.Equal(conversation.With(timeline, transcript, notes), await ledger.GetConversationAsync(Acme, "c1"));
        var first = (await ledger.ListFirstMessagesAsync(Acme, T0.AddDays(-1), T0.AddDays(1), 10)).Single();
        Assert.Equal("Hello", first.Text); // the customer's words, never a note
    }

    [Fact]
    public async Task ACustomersHistoryIsTheirConversationsNewestFirstWithEachOnesLastPrivateNoteAndOnlyInItsWorkspace()
    {
        var ledger = await OpenAsync();
        var mia = new Customer("mia", "Mia", "gold");
        var first = Conversation("c1", ConversationState.Completed, createdAt: T0) with { Customer = mia, Rating = 2 };
        var second = Conversation("c2", ConversationState.Abandoned, createdAt: T0.AddHours(1)) with { Customer = mia, Channel = "email" };
        var third = Conversation("c3", ConversationState.Connected, createdAt: T0.AddHours(2)) with { Customer = mia, QueueId = "sales" };
        foreach (var c in new[] { first, second, third, Conversation("other", createdAt: T0.AddHours(3)) })
        {
            await ledger.SaveConversationAsync(Acme, Change(c, [Transition(ConversationState.Created, 0)]));
        }
        await ledger.SaveConversationAsync(
            Globex,
            Change(first with { ConversationId = "elsewhere" }, [Transition(ConversationState.Created, 0)])
        );
        ConversationNote[] notes =
        [
            new(1, T0.AddMinutes(1), ConversationNote.Private, "agent-1", "prefers email"),
            new(2, T0.AddMinutes(2), ConversationNote.Whisper, "sam", "not a private note"),
            new(3, T0.AddMinutes(3), ConversationNote.Private, "agent-1", "refund promised by Friday"),
        ];
        await ledger.SaveConversationAsync(Acme, new ConversationChange(first, [], [], NewNotes: notes));

        var history = await ledger.ListCustomerConversationsAsync(Acme, "mia", 10);

        Assert.Equal(["c3", "c2", "c1"], history.Select(h => h.ConversationId));
        Assert.Equal(
            new PastConversation(
                "c1",
                ConversationState.Completed,
                "chat",
                "billing",
                T0,
                first.EndedAt,
                "agent-1",
                "resolved",
                2,
                "refund promised by Friday"
            ),
            history[2]
        );
        Assert.Equal(("email", null), (history[1].Channel, history[1].Note));
        Assert.Equal(["c3"], (await ledger.ListCustomerConversationsAsync(Acme, "mia", 1)).Select(h => h.ConversationId));
        Assert.Empty(await ledger.ListCustomerConversationsAsync(Acme, "nobody", 10));
    }

    [Fact]
    public async Task ALedgerFromBeforeCustomerHistoriesFindsItsEarlierConversationsByCustomerAfterItsFirstStart()
    {
        var ledger = await OpenAsync();
        await ledger.SaveConversationAsync(Acme, Change(Conversation("old"), [Transition(ConversationState.Created, 0)], []));
        await CloseAsync(ledger);
        await ExecuteSqlAsync("DROP INDEX ix_conversations_customer");
        await ExecuteSqlAsync("ALTER TABLE conversations DROP COLUMN customer_id");
        await ExecuteSqlAsync("DELETE FROM schema_version WHERE version = 7");

        ledger = await OpenAsync();

        Assert.Equal(["old"], (await ledger.ListCustomerConversationsAsync(Acme, "cust-old", 10)).Select(h => h.ConversationId));
    }

    [Fact]
    public async Task AnIdempotentCreatesRequestHashIsKeptThroughLaterSaves()
    {
        var ledger = await OpenAsync();
        var created = Conversation("c1") with { RequestHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" };
        await ledger.SaveConversationAsync(Acme, Change(created, [Transition(ConversationState.Created, 0)], []));
        await ledger.SaveConversationAsync(
            Acme,
            Change(created with { State = ConversationState.Abandoned }, [Transition(ConversationState.Abandoned, 1)], [])
        );

        Assert.Equal(created.RequestHash, (await ledger.GetConversationAsync(Acme, "c1"))?.RequestHash);
        await ledger.SaveConversationAsync(Acme, Change(Conversation("c2"), [Transition(ConversationState.Created, 0)], []));
        Assert.Null((await ledger.GetConversationAsync(Acme, "c2"))?.RequestHash);
    }

    [Fact]
    public async Task ALedgerFromBeforeIdempotentCreatesGainsTheirColumnOnItsFirstStart()
    {
        var ledger = await OpenAsync();
        await ledger.SaveConversationAsync(Acme, Change(Conversation("old"), [Transition(ConversationState.Created, 0)], []));
        await CloseAsync(ledger);
        await ExecuteSqlAsync("ALTER TABLE conversations DROP COLUMN request_hash");
        await ExecuteSqlAsync("DELETE FROM schema_version WHERE version = 3");

        ledger = await OpenAsync();

        Assert.Null((await ledger.GetConversationAsync(Acme, "old"))!.RequestHash);
        await ledger.SaveConversationAsync(
            Acme,
            Change(Conversation("new") with { RequestHash = "ab" }, [Transition(ConversationState.Created, 0)], [])
        );
        Assert.Equal("ab", (await ledger.GetConversationAsync(Acme, "new"))!.RequestHash);
    }

    [Fact]
    public async Task ALedgerFromBeforeTheSelfServiceStepGainsItsColumnsOnItsFirstStartAndKeepsWhatTheStepWrites()
    {
        var ledger = await OpenAsync();
        await ledger.SaveConversationAsync(Acme, Change(Conversation("old"), [Transition(ConversationState.Created, 0)], []));
        await CloseAsync(ledger);
        await ExecuteSqlAsync("ALTER TABLE conversations DROP COLUMN waiting_since");
        foreach (var measure in ReportQuarters.AddedInVersion5)
        {
            await ExecuteSqlAsync($"ALTER TABLE report_quarters DROP COLUMN {measure}");
        }
        await ExecuteSqlAsync("DELETE FROM schema_version WHERE version = 5");

        ledger = await OpenAsync();

        var old = (await ledger.GetConversationAsync(Acme, "old"))!;
        Assert.Equal((null, old.CreatedAt), (old.WaitingSince, old.WaitStart));
        var escalated = Conversation("new") with { WaitingSince = old.CreatedAt.AddSeconds(40) };
        TranscriptMessage[] exchange =
        [
            Message(1, "How do I return a parcel?"),
            new(2, old.CreatedAt.AddSeconds(1), "bot", null, "Returns\nPrint the label.", "kb-return"),
        ];
        await ledger.SaveConversationAsync(
            Acme,
            Change(
                escalated,
                [
                    Transition(ConversationState.Created, 0),
                    Transition(ConversationState.SelfService, 0),
                    Transition(ConversationState.Queued, 40),
                ],
                exchange
            )
        );
        var read = (await ledger.GetConversationAsync(Acme, "new"))!;
        Assert.Equal(escalated.WaitingSince, read.WaitingSince);
        Assert.Equal(exchange, read.Transcript);
    }

    [Fact]
    public async Task TheUnansweredQuestionsAreTheEscalationsForWantOfAnAnswerWithTheCustomersLastWordsBeforeThem()
    {
        var ledger = await OpenAsync();
        var t0 = Conversation("x").CreatedAt;
        ConversationTransition Step(ConversationState state, int seconds, string? reason) =>
            new(state, t0.AddSeconds(seconds), null, "billing", reason);
        TranscriptMessage Said(long sequence, int seconds, string text, string from = "customer") =>
            new(sequence, t0.AddSeconds(seconds), from, null, text, from == "bot" ? "kb-1" : null);
        await ledger.SaveConversationAsync(
            Acme,
            Change(
                Conversation("asked"),
                [Step(ConversationState.Created, 0, null), Step(ConversationState.SelfService, 0, "bot-first")],
                [Said(1, 0, "refund?"), Said(2, 1, "Refunds\nThree days.", "bot"), Said(3, 5, "what about a gift card balance")]
            )
        );
        await ledger.SaveConversationAsync(Acme, Change(Conversation("asked"), [Step(ConversationState.Queued, 5, "no-answer")], []));
        await ledger.SaveConversationAsync(
            Acme,
            Change(Conversation("answered"), [Step(ConversationState.Queued, 6, "asked-for-agent")], [])
        );
        await ledger.SaveConversationAsync(Globex, Change(Conversation("theirs"), [Step(ConversationState.Queued, 7, "no-answer")], []));

        var questions = await ledger.ListUnansweredAsync(Acme, t0, t0.AddMinutes(1), 10);

        Assert.Equal([new UnansweredQuestion("asked", "billing", t0.AddSeconds(5), "what about a gift card balance")], questions);
        Assert.Empty(await ledger.ListUnansweredAsync(Acme, t0.AddSeconds(6), t0.AddMinutes(1), 10));
    }

    [Fact]
    public async Task TheFirstMessagesOfAPeriodAreItsConversationsWithTheirCustomersFirstWords()
    {
        var ledger = await OpenAsync();
        var t0 = Conversation("x").CreatedAt;
        await ledger.SaveConversationAsync(
            Acme,
            Change(
                Conversation("talked", createdAt: t0),
                [Transition(ConversationState.Created, 0)],
                [Message(1, "hello", from: "agent"), Message(2, "where is my parcel"), Message(3, "still waiting")]
            )
        );
        await ledger.SaveConversationAsync(
            Acme,
            Change(Conversation("silent", createdAt: t0.AddSeconds(1)), [Transition(ConversationState.Created, 1)], [])
        );
        await ledger.SaveConversationAsync(
            Acme,
            Change(Conversation("later", createdAt: t0.AddHours(1)), [Transition(ConversationState.Created, 3600)], [])
        );

        var first = await ledger.ListFirstMessagesAsync(Acme, t0, t0.AddMinutes(1), 10);

        Assert.Equal([("where is my parcel", t0), ((string?)null, t0.AddSeconds(1))], first.Select(f => (f.Text, f.CreatedAt)));
        Assert.Single(await ledger.ListFirstMessagesAsync(Acme, t0, t0.AddMinutes(1), 1));
    }

    [Fact]
    public async Task TimelinesOfAWorkspaceAreReadWholeInArrivalOrderAndOnlyItsOwn()
    {
        var ledger = await OpenAsync();
        var t0 = Conversation("x").CreatedAt;
        await ledger.SaveConversationAsync(
            Acme,
            Change(
                Conversation("late", createdAt: t0.AddSeconds(5)),
                [Transition(ConversationState.Created, 5), Transition(ConversationState.Queued, 5)],
                []
            )
        );
        await ledger.SaveConversationAsync(
            Acme,
            Change(Conversation("early", createdAt: t0), [Transition(ConversationState.Created, 0)], [])
        );
        await ledger.SaveConversationAsync(
            Acme,
            Change(Conversation("early", ConversationState.Abandoned, createdAt: t0), [Transition(ConversationState.Abandoned, 9)], [])
        );
        await ledger.SaveConversationAsync(Globex, Change(Conversation("theirs"), [Transition(ConversationState.Created, 0)], []));

        var timelines = await ledger.ListTimelinesAsync(Acme);

        Assert.Equal(["early", "late"], timelines.Select(c => c.ConversationId));
        Assert.Equal([ConversationState.Created, ConversationState.Abandoned], timelines[0].Timeline.Select(t => t.State));
        Assert.Equal(ConversationState.Abandoned, timelines[0].State);
        Assert.Equal([ConversationState.Created, ConversationState.Queued], timelines[1].Timeline.Select(t => t.State));
        Assert.Empty(await ledger.ListTimelinesAsync("nobody"));
    }

    [Fact]
    public async Task LaterSavesReplaceTheRowAndAppendToTimelineAndTranscript()
    {
        var ledger = await OpenAsync();
        var queued = Conversation("c1");
        var offered = queued with { State = ConversationState.Offered, AgentId = "agent-1", UpdatedAt = T0.AddSeconds(20) };
        var connected = offered with { State = ConversationState.Connected, Priority = 70, Attributes = new Dictionary<string, string>() };

        await ledger.SaveConversationAsync(
            Acme,
            Change(queued, [Transition(ConversationState.Created, 0), Transition(ConversationState.Queued, 0)], [Message(1, "hello")])
        );
        await ledger.SaveConversationAsync(
            Acme,
            Change(offered, [Transition(ConversationState.Offered, 5, "agent-1")], [Message(2, "anyone?")])
        );
        await ledger.SaveConversationAsync(Acme, Change(connected, [Transition(ConversationState.Connected, 9, "agent-1")]));

        var expected = connected.With(
            [
                Transition(ConversationState.Created, 0),
                Transition(ConversationState.Queued, 0),
                Transition(ConversationState.Offered, 5, "agent-1"),
                Transition(ConversationState.Connected, 9, "agent-1"),
            ],
            [Message(1, "hello"), Message(2, "anyone?")]
        );
        Structural.Equal(expected, await ledger.GetConversationAsync(Acme, "c1"));
    }

    [Fact]
    public async Task AnAgentsConversationsAreTheOnesItHoldsInItsOwnWorkspace()
    {
        var ledger = await OpenAsync();
        var held = new[]
        {
            Conversation("offered", ConversationState.Offered, arrival: 1),
            Conversation("connected", ConversationState.Connected, arrival: 2),
            Conversation("wrapping", ConversationState.WrapUp, arrival: 3),
        };
        foreach (var c in held)
        {
            await ledger.SaveConversationAsync(Acme, Change(c));
        }
        await ledger.SaveConversationAsync(Acme, Change(Conversation("done", ConversationState.Completed, arrival: 4)));
        await ledger.SaveConversationAsync(
            Acme,
            Change(Conversation("other-agent", ConversationState.Connected, arrival: 5) with { AgentId = "agent-2" })
        );
        await ledger.SaveConversationAsync(Acme, Change(Conversation("waiting", ConversationState.Queued, arrival: 6)));
        await ledger.SaveConversationAsync("elsewhere", Change(Conversation("theirs", ConversationState.Connected, arrival: 7)));

        var listed = await ledger.ListAgentConversationsAsync(Acme, "agent-1");

        Assert.Equal(["offered", "connected", "wrapping"], listed.Select(c => c.ConversationId));
        Assert.All(listed, c => Assert.Empty(c.Timeline));
    }

    [Fact]
    public async Task AMessageSavedAgainUnderItsSequenceIsStoredOnce()
    {
        var ledger = await OpenAsync();
        var conversation = Conversation("c1", ConversationState.Connected);

        await ledger.SaveConversationAsync(Acme, Change(conversation, messages: [Message(1, "first")]));
        await ledger.SaveConversationAsync(Acme, Change(conversation, messages: [Message(1, "first, retried"), Message(2, "second")]));
        await ledger.SaveConversationAsync(Acme, Change(conversation, messages: [Message(3, "third"), Message(3, "third again")]));

        var stored = await ledger.GetConversationAsync(Acme, "c1");
        Structural.Equal<IReadOnlyList<TranscriptMessage>>(
            [Message(1, "first"), Message(2, "second"), Message(3, "third")],
            stored!.Transcript
        );
    }

    [Fact]
    public async Task TranscriptIsReadInSequenceOrderWhateverTheOrderOfSaving()
    {
        var ledger = await OpenAsync();
        var conversation = Conversation("c1", ConversationState.Connected);

        foreach (var sequence in new long[] { 3, 1, 2 })
        {
            await ledger.SaveConversationAsync(Acme, Change(conversation, messages: [Message(sequence, $"line {sequence}")]));
        }

        var stored = await ledger.GetConversationAsync(Acme, "c1");
        Assert.Equal([1L, 2L, 3L], stored!.Transcript.Select(m => m.Sequence));
    }

    [Fact]
    public async Task ActiveConversationsAreListedInArrivalOrderWithTheSelfServiceStepWithoutCreatedOrFinalOnes()
    {
        var ledger = await OpenAsync();
        var queued = Conversation("queued", ConversationState.Queued, T0.AddSeconds(2), arrival: 5);
        var offered = Conversation("offered", ConversationState.Offered, T0.AddSeconds(1), arrival: 9);
        var connected = Conversation("connected", ConversationState.Connected, T0.AddSeconds(1), arrival: 3);
        var wrapUp = Conversation("wrap-up", ConversationState.WrapUp, T0, arrival: 7);
        var selfService = Conversation("self-service", ConversationState.SelfService, T0, arrival: 6);
        ConversationRecord[] all =
        [
            queued,
            offered,
            connected,
            wrapUp,
            selfService,
            Conversation("created", ConversationState.Created, T0.AddTicks(-1), arrival: 1),
            Conversation("resolved", ConversationState.Resolved, T0.AddTicks(-1), arrival: 8),
            Conversation("completed", ConversationState.Completed, T0.AddTicks(-1), arrival: 2),
            Conversation("abandoned", ConversationState.Abandoned, T0.AddTicks(-1), arrival: 4),
        ];
        foreach (var conversation in all)
        {
            await ledger.SaveConversationAsync(Acme, Change(conversation, [Transition(conversation.State, 1)], [Message(1, "hi")]));
        }

        var active = await ledger.ListActiveConversationsAsync(Acme);

        Assert.All(active, c => Assert.Equal(Acme, c.Workspace));
        Structural.Equal<IReadOnlyList<ConversationRecord>>(
            [selfService, wrapUp, connected, offered, queued],
            active.Select(c => c.Item).ToList()
        );
    }

    [Fact]
    public async Task AConversationThatEndsLeavesTheActiveList()
    {
        var ledger = await OpenAsync();
        var conversation = Conversation("c1", ConversationState.Queued);
        await ledger.SaveConversationAsync(Acme, Change(conversation));
        Assert.Single(await ledger.ListActiveConversationsAsync(Acme));

        await ledger.SaveConversationAsync(Acme, Change(conversation with { State = ConversationState.Abandoned }));

        Assert.Empty(await ledger.ListActiveConversationsAsync(Acme));
        Assert.Equal(ConversationState.Abandoned, (await ledger.GetConversationAsync(Acme, "c1"))!.State);
    }

    [Fact]
    public async Task ActiveConversationsOfEveryWorkspaceAreListedTogetherInArrivalOrder()
    {
        var ledger = await OpenAsync();
        await ledger.SaveConversationAsync(Acme, Change(Conversation("a-late", createdAt: T0.AddSeconds(3), arrival: 1)));
        await ledger.SaveConversationAsync(Globex, Change(Conversation("g-early", createdAt: T0, arrival: 2)));
        await ledger.SaveConversationAsync(Acme, Change(Conversation("a-middle", createdAt: T0.AddSeconds(1), arrival: 3)));

        var active = await ledger.ListActiveConversationsAsync(null);

        Assert.Equal(["globex/g-early", "acme/a-middle", "acme/a-late"], active.Select(c => $"{c.Workspace}/{c.Item.ConversationId}"));
    }

    [Fact]
    public async Task NothingOfOneWorkspaceIsReturnedForAnother()
    {
        var ledger = await OpenAsync();
        await ledger.SaveQueueAsync(Acme, Queue("q1", name: "acme queue"));
        await ledger.SaveQueueAsync(Globex, Queue("q1", name: "globex queue"));
        await ledger.SaveQueueAsync(Acme, Queue("acme-only"));
        await ledger.SaveAgentAsync(Acme, Agent("a1", name: "acme agent"));
        await ledger.SaveAgentAsync(Globex, Agent("a1", name: "globex agent"));
        await ledger.SaveConversationAsync(
            Acme,
            Change(
                Conversation("c1", ConversationState.Queued),
                [Transition(ConversationState.Queued, 1)],
                [Message(1, "acme 1"), Message(2, "acme 2")]
            )
        );
        await ledger.SaveConversationAsync(
            Globex,
            Change(Conversation("c1", ConversationState.Completed), [Transition(ConversationState.Completed, 2)], [Message(1, "globex 1")])
        );
        await ledger.SaveConversationAsync(Acme, Change(Conversation("acme-only", arrival: 2)));

        Assert.Equal("globex queue", (await ledger.GetQueueAsync(Globex, "q1"))!.Definition.Name);
        Assert.Null(await ledger.GetQueueAsync(Globex, "acme-only"));
        Assert.Equal(["q1"], (await ledger.ListQueuesAsync(Globex)).Select(q => q.Item.QueueId));
        Assert.Equal("globex agent", (await ledger.GetAgentAsync(Globex, "a1"))!.Definition.Name);
        Assert.Equal("acme agent", (await ledger.GetAgentAsync(Acme, "a1"))!.Definition.Name);
        Assert.Single(await ledger.ListAgentsAsync(Globex));

        var globex = await ledger.GetConversationAsync(Globex, "c1");
        Assert.Equal(ConversationState.Completed, globex!.State);
        Assert.Equal(["globex 1"], globex.Transcript.Select(m => m.Text));
        Assert.Equal([ConversationState.Completed], globex.Timeline.Select(t => t.State));
        var acme = await ledger.GetConversationAsync(Acme, "c1");
        Assert.Equal(["acme 1", "acme 2"], acme!.Transcript.Select(m => m.Text));
        Assert.Equal([ConversationState.Queued], acme.Timeline.Select(t => t.State));
        Assert.Null(await ledger.GetConversationAsync(Globex, "acme-only"));
        Assert.Empty(await ledger.ListActiveConversationsAsync(Globex));
        Assert.Equal(["c1", "acme-only"], (await ledger.ListActiveConversationsAsync(Acme)).Select(c => c.Item.ConversationId));
    }
}
