using Routing.Contracts;
using Routing.Ledger;
using static Routing.Tests.Ledger.LedgerSamples;

namespace Routing.Tests.Ledger;

/// <summary>Interval reports: the same figures from every ledger, computed from the timelines.</summary>
public abstract partial class LedgerContract
{
    private static ConversationTransition At(ConversationState state, double second, string? agent = null, string queue = "billing", string? reason = null) =>
        new(state, T0.AddSeconds(second), agent, queue, reason);

    private async Task Save(ILedger ledger, string id, string channel, int? rating, params ConversationTransition[] timeline)
    {
        var last = timeline[^1];
        var conversation = Conversation(id, last.State, createdAt: T0.AddSeconds((timeline[0].At - T0).TotalSeconds)) with
        {
            Channel = channel,
            AgentId = timeline.LastOrDefault(t => t.AgentId is not null)?.AgentId,
            Rating = rating,
        };
        await ledger.SaveConversationAsync(Acme, Change(conversation, timeline));
    }

    [Fact]
    public async Task AnIntervalReportCountsWhatHappenedInEachIntervalByQueueAgentAndChannel()
    {
        var ledger = await OpenAsync();
        await ledger.SaveQueueAsync(Acme, Queue("billing")); // service level: 20 s
        // First quarter hour: a answered in 10 s (talk 60, wrap-up 30, rated 4); b answered in 30 s (talk 120, no
        // wrap-up, rated 2); c abandoned after 3 s (short); d abandoned after 40 s; e answered by ann, then
        // transferred to returns. Second quarter hour: f created at 16 min, answered at 16:05.
        await Save(ledger, "a", "chat", 4, At(ConversationState.Created, 0), At(ConversationState.Queued, 0),
            At(ConversationState.Offered, 9, "ann"), At(ConversationState.Connected, 10, "ann"),
            At(ConversationState.WrapUp, 70, "ann"), At(ConversationState.Completed, 100, "ann"));
        await Save(ledger, "b", "email", 2, At(ConversationState.Created, 0), At(ConversationState.Queued, 0),
            At(ConversationState.Offered, 29, "bo"), At(ConversationState.Connected, 30, "bo"),
            At(ConversationState.WrapUp, 150, "bo"), At(ConversationState.Completed, 150, "bo"));
        await Save(ledger, "c", "chat", null, At(ConversationState.Created, 100), At(ConversationState.Queued, 100), At(ConversationState.Abandoned, 103));
        await Save(ledger, "d", "chat", null, At(ConversationState.Created, 100), At(ConversationState.Queued, 100), At(ConversationState.Abandoned, 140));
        await Save(ledger, "e", "chat", null, At(ConversationState.Created, 200), At(ConversationState.Queued, 200),
            At(ConversationState.Offered, 204, "ann"), At(ConversationState.Connected, 205, "ann"),
            At(ConversationState.Queued, 300, "ann", "returns", "transferred"));
        await Save(ledger, "f", "chat", null, At(ConversationState.Created, 960), At(ConversationState.Queued, 960),
            At(ConversationState.Offered, 964, "bo"), At(ConversationState.Connected, 965, "bo"));
        await ledger.SaveConversationAsync(Globex, Change(Conversation("other"), [At(ConversationState.Created, 0)]));

        var quarter = TimeSpan.FromMinutes(15);
        var byQueue = await ledger.ReportIntervalsAsync(Acme, new IntervalQuery(T0, T0.AddMinutes(30), quarter, ReportBy.Queue));
        var byAgent = await ledger.ReportIntervalsAsync(Acme, new IntervalQuery(T0, T0.AddMinutes(30), quarter, ReportBy.Agent));
        var byChannel = await ledger.ReportIntervalsAsync(Acme, new IntervalQuery(T0, T0.AddMinutes(15), quarter, ReportBy.Channel));

        Assert.Equal([(T0, "billing"), (T0, "returns"), (T0.Add(quarter), "billing")], byQueue.Select(r => (r.Start, r.Key)));
        var first = byQueue[0];
        Assert.Equal((5, 3, 2, 1), (first.Offered, first.Connected, first.Abandoned, first.ShortAbandoned));
        Assert.Equal(15, first.AverageSpeedOfAnswerSeconds!.Value, 6);       // (10 + 30 + 5) / 3
        Assert.Equal(90, first.AverageTalkSeconds!.Value, 6);                // (60 + 120) / 2
        Assert.Equal(15, first.AverageWrapUpSeconds!.Value, 6);              // (30 + 0) / 2
        Assert.Equal(50, first.ServiceLevelPercent!.Value, 6);               // a and e within 20 s, of 3 answered + 1 long abandon
        Assert.Equal((3.0, 2), (first.CsatAverage, first.CsatCount));
        Assert.Equal((0, 1), (byQueue[1].Offered, byQueue[1].Transfers)); // the transfer counts in the queue it went to
        Assert.Equal((1, 1, 100.0), (byQueue[2].Offered, byQueue[2].Connected, byQueue[2].ServiceLevelPercent));
        Assert.Equal(T0.AddMinutes(30), byQueue[2].End);

        Assert.Equal([(T0, "ann"), (T0, "bo"), (T0.Add(quarter), "bo")], byAgent.Select(r => (r.Start, r.Key)));
        Assert.Equal((2, 1, 4.0), (byAgent[0].Connected, byAgent[0].Transfers, byAgent[0].CsatAverage));
        Assert.Equal([("chat", 4, 2), ("email", 1, 1)], byChannel.Select(r => (r.Key, r.Offered, r.Connected)));
    }
}
