using Routing.Contracts;
using Routing.Grains.Queues;
using Routing.Ledger;
using Routing.Tests.Ledger;

namespace Routing.Tests.Queues;

/// <summary>
/// What a queue rebuilds from the ledger on activation (docs/reliability.md, "The ledger is the truth"): each agent's slots
/// in use are the conversations it is connected to or wrapping up, per channel, and the line holds this queue's waiting
/// conversations and no others.
/// </summary>
public sealed class QueueReloadTests
{
    private static readonly WorkspaceItem<ConversationRecord>[] Active =
    [
        Item(LedgerSamples.Conversation("c1", ConversationState.Connected) with { AgentId = "a1" }),
        Item(LedgerSamples.Conversation("c2", ConversationState.WrapUp) with { AgentId = "a1" }),
        Item(LedgerSamples.Conversation("c3", ConversationState.Connected) with { AgentId = "a1", Channel = "voice" }),
        Item(LedgerSamples.Conversation("c4", ConversationState.Offered) with { AgentId = "a2" }), // an offer holds no slot here
        Item(LedgerSamples.Conversation("c5", ConversationState.Queued)),
        Item(LedgerSamples.Conversation("c6", ConversationState.Queued, queueId: "returns")),
    ];

    [Fact]
    public void AnAgentsSlotsInUseAreTheConversationsItIsConnectedToOrWrappingUpPerChannel()
    {
        var agents = QueueReload.Agents([Item(LedgerSamples.Agent("a1")), Item(LedgerSamples.Agent("a2"))], Active);

        Assert.Equal(["a1", "a2"], agents.Select(a => a.AgentId));
        Assert.Equal(new Dictionary<string, int> { ["chat"] = 2, ["voice"] = 1 }, agents[0].InUse);
        Assert.Empty(agents[1].InUse);
        Assert.All(agents, a => Assert.Equal(0, a.Version)); // any report of the agent grain's is newer
        Assert.Equal(new Dictionary<string, int> { ["billing"] = 1, ["returns"] = 2 }, agents[0].QueueRanks);
        Assert.Equal(LedgerSamples.Agent("a1").IdleSince, agents[0].IdleSince);
    }

    [Fact]
    public void TheLineHoldsThisQueuesQueuedAndOfferedConversations()
    {
        var waiting = QueueReload.Waiting("billing", Active);

        Assert.Equal(["c4", "c5"], waiting.Select(t => t.ConversationId));
        Assert.Equal(Active[4].Item.Ticket(), waiting[1]);
    }

    private static WorkspaceItem<T> Item<T>(T item) => new("w", item);
}
