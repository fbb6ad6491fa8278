using Routing.Contracts;
using Routing.Grains.Queues;
using Routing.Ledger;
using Routing.Tests.Infrastructure;
using Routing.Tests.Ledger;

namespace Routing.Tests.Queues;

/// <summary>
/// The queue's check of its line against the ledger (docs/reliability.md, "No conversation leaves every line"): a
/// conversation waiting on record that the line has missed at two checks running is put back and offered; one missed once
/// (an offer whose write is on its way) is left alone.
/// </summary>
public sealed class LineCheckTests
{
    [Fact]
    public void AConversationMissingAtTwoChecksRunningIsPutBackAndOneMissingOnceIsNot()
    {
        var check = new LineCheck();
        QueueTicket[] waiting = [Ticket("c1"), Ticket("c2"), Ticket("c3")];
        var line = new HashSet<string> { "c1" };

        Assert.Empty(check.Missing(waiting, line.Contains)); // c2 and c3 missed once
        line.Add("c3"); // c3 was only on its way
        Assert.Equal(["c2"], check.Missing(waiting, line.Contains).Select(t => t.ConversationId));
        Assert.Empty(check.Missing([Ticket("c1")], line.Contains)); // c2 offered since: no longer waiting on record
    }

    [Fact]
    public void OnlyConversationsQueuedInThisQueueAreCheckedNotThoseOnOffer()
    {
        WorkspaceItem<ConversationRecord>[] active =
        [
            new("w", LedgerSamples.Conversation("c1", ConversationState.Queued)),
            new("w", LedgerSamples.Conversation("c2", ConversationState.Offered) with { AgentId = "a1" }),
            new("w", LedgerSamples.Conversation("c3", ConversationState.Queued, queueId: "returns")),
        ];

        Assert.Equal(
            ["c1"],
            QueueReload.Queued(LedgerSamples.Conversation("c1", ConversationState.Queued).QueueId, active).Select(t => t.ConversationId)
        );
    }

    private static QueueTicket Ticket(string id) => LedgerSamples.Conversation(id, ConversationState.Queued).Ticket();
}

/// <summary>The same check on the test cluster: a conversation its queue let go of while it still waits is offered again.</summary>
[Collection(RoutingClusterCollection.Name)]
public sealed class LineCheckClusterTests(RoutingClusterFixture cluster)
{
    [Fact]
    public async Task AConversationItsQueueLetGoOfWhileItStillWaitsOnRecordIsPutBackAtTheSecondCheckAndOffered()
    {
        var s = new Scenario(cluster);
        await s.DefineQueue("care");
        await s.DefineAgent("a1", ["care"]);
        var id = await s.Start("care");
        // The queue lets go, as it does when an offer is answered whose write then never reaches the record.
        await s.Queue("care").RemoveAsync(id);
        await s.Available("a1");
        Assert.Null(await s.Queue("care").GetPositionAsync(id));

        Assert.Empty(await s.Queue("care").CheckLineAsync());
        Assert.Equal([id], await s.Queue("care").CheckLineAsync());

        Assert.Equal("a1", await s.Offered(id));
    }
}
