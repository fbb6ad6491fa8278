using Routing.Contracts;
using Routing.Ledger;
using static Routing.Tests.Ledger.LedgerSamples;

namespace Routing.Tests.Ledger;

public abstract partial class LedgerContract
{
    [Fact]
    public async Task InitializingTwiceIsHarmless()
    {
        var ledger = await OpenAsync();
        var conversation = Conversation("c1");
        await ledger.SaveConversationAsync(Acme, Change(conversation, [Transition(ConversationState.Queued, 1)]));

        await ledger.InitializeAsync();
        var second = await OpenAsync();
        await second.SaveQueueAsync(Acme, Queue("billing"));

        Structural.Equal(conversation.With([Transition(ConversationState.Queued, 1)], []), await second.GetConversationAsync(Acme, "c1"));
        Structural.Equal(Queue("billing"), await ledger.GetQueueAsync(Acme, "billing"));
        await ledger.SaveAgentAsync(Acme, Agent("li"));
        Structural.Equal(Agent("li"), await second.GetAgentAsync(Acme, "li"));
    }

    [Fact]
    public async Task EverythingSavedSurvivesClosingAndReopeningTheLedger()
    {
        var ledger = await OpenAsync();
        var conversation = Conversation("c1", ConversationState.WrapUp);
        ConversationTransition[] timeline = [Transition(ConversationState.Queued, 0), Transition(ConversationState.WrapUp, 60, "agent-1")];
        TranscriptMessage[] transcript = [Message(1, "hello"), Message(2, "bye", from: "agent")];
        await ledger.SaveQueueAsync(Acme, Queue("billing"));
        await ledger.SaveAgentAsync(Acme, Agent("li"));
        await ledger.SaveConversationAsync(Acme, Change(conversation, timeline, transcript));
        await CloseAsync(ledger);

        var reopened = await OpenAsync();

        Structural.Equal(Queue("billing"), await reopened.GetQueueAsync(Acme, "billing"));
        Structural.Equal(Agent("li"), await reopened.GetAgentAsync(Acme, "li"));
        Structural.Equal(conversation.With(timeline, transcript), await reopened.GetConversationAsync(Acme, "c1"));
        Structural.Equal<IReadOnlyList<ConversationRecord>>(
            [conversation],
            (await reopened.ListActiveConversationsAsync(Acme)).Select(c => c.Item).ToList()
        );
    }

    [Fact]
    public async Task ClosingTheLedgerCommitsTheWritesStillQueued()
    {
        var ledger = await OpenAsync();
        var saves = Enumerable
            .Range(0, 300)
            .Select(i => ledger.SaveConversationAsync(Acme, Change(Conversation($"c{i:D4}", arrival: i))))
            .ToList();

        await Within(CloseAsync(ledger));
        await Within(Task.WhenAll(saves));

        var reopened = await OpenAsync();
        Assert.Equal(
            Enumerable.Range(0, 300).Select(i => $"c{i:D4}"),
            (await reopened.ListActiveConversationsAsync(Acme)).Select(c => c.Item.ConversationId)
        );
    }

    [Fact]
    public async Task TwoThousandConcurrentSavesAllCompleteAndAreReadable()
    {
        const int Count = 2000;
        var ledger = await OpenAsync();
        ConversationRecord Numbered(int i) => Conversation($"c{i:D4}", createdAt: T0.AddTicks(i), arrival: i);

        await Within(
            Task.WhenAll(
                Enumerable
                    .Range(0, Count)
                    .Select(i =>
                        Task.Run(() =>
                            ledger.SaveConversationAsync(
                                Acme,
                                Change(Numbered(i), [Transition(ConversationState.Queued, i)], [Message(1, $"from {i}")])
                            )
                        )
                    )
            )
        );

        var active = await ledger.ListActiveConversationsAsync(Acme);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"c{i:D4}"), active.Select(c => c.Item.ConversationId));
        for (var i = 0; i < Count; i++)
        {
            var stored = await ledger.GetConversationAsync(Acme, $"c{i:D4}");
            Structural.Equal(Numbered(i).With([Transition(ConversationState.Queued, i)], [Message(1, $"from {i}")]), stored);
        }
    }

    [Fact]
    public async Task SavesOfOneConversationApplyInTheOrderTheyWereSubmitted()
    {
        const int Count = 300;
        var ledger = await OpenAsync();
        var conversation = Conversation("c1", ConversationState.Connected);

        var saves = Enumerable
            .Range(1, Count)
            .Select(i =>
                ledger.SaveConversationAsync(
                    Acme,
                    Change(
                        conversation with
                        {
                            Priority = i,
                            UpdatedAt = T0.AddSeconds(i),
                        },
                        [Transition(ConversationState.Connected, i)],
                        [Message(Count + 1 - i, $"line {i}")]
                    )
                )
            )
            .ToList();
        await Within(Task.WhenAll(saves));

        var stored = await ledger.GetConversationAsync(Acme, "c1");
        Assert.Equal(Count, stored!.Priority);
        Assert.Equal(T0.AddSeconds(Count), stored.UpdatedAt);
        Assert.Equal(Enumerable.Range(1, Count).Select(i => Transition(ConversationState.Connected, i)), stored.Timeline);
        Assert.Equal(Enumerable.Range(1, Count).Select(i => $"line {Count + 1 - i}"), stored.Transcript.Select(m => m.Text));
    }

    [Fact]
    public async Task ASaveCancelledBeforeItStartsStoresNothing()
    {
        var ledger = await OpenAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ledger.SaveConversationAsync(Acme, Change(Conversation("c1")), cancelled.Token)
        );

        Assert.Null(await ledger.GetConversationAsync(Acme, "c1"));
    }
}
