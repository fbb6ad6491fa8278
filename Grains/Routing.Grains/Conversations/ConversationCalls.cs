using Microsoft.Extensions.Logging;
using Routing.Contracts;
using Routing.Contracts.Knowledge;
using Routing.Contracts.Realtime;
using Routing.Grains.Agents;
using Routing.Grains.Queues;
using Routing.Ledger;

namespace Routing.Grains.Conversations;

/// <summary>
/// The calls one conversation makes to its agents and its queues, for <see cref="ConversationGrain"/>, on its turn: the
/// offer's notice the agent's clients show, its queue's definition kept for the activation, and the tolerance of the calls
/// that follow a written step (docs/reliability.md, "A silo taken for dead"), whose failures are logged here — with the
/// grain's logger, so under its name.
/// </summary>
internal sealed class ConversationCalls(IGrainFactory grains, string workspace, string conversationId, ILogger logger) : IConversationCalls
{
    private QueueInfo? _queueDefinition;

    public Task<SlotReservation> ReserveAsync(
        string agentId,
        ConversationRecord record,
        string viaQueueId,
        DateTimeOffset expiresAt,
        bool direct
    )
    {
        var request = new ReserveSlot(conversationId, record.Channel, viaQueueId, expiresAt, NoticeOf(record, viaQueueId, expiresAt));
        return direct ? Agent(agentId).ReserveDirectAsync(request) : Agent(agentId).ReserveAsync(request);
    }

    public Task<AgentView?> ConfirmAsync(string agentId, ConversationRecord record) =>
        Agent(agentId).ConfirmAsync(conversationId, record.Channel, record.QueueId);

    /// <summary>
    /// Tells the agent that the accept is written (until then it holds the slot without announcing it). After the
    /// commit, so an agent that cannot be reached costs an announcement — the agent checks assignments it never
    /// heard confirmed — never the answer to an accept that has already happened.
    /// </summary>
    public async Task TellConnectedAsync(string agentId, ConversationRecord record)
    {
        try
        {
            await Agent(agentId).ConnectedAsync(conversationId, record.Channel, record.QueueId);
        }
        catch (Exception e)
        {
            Log.AgentConfirmMissed(logger, e, conversationId, agentId);
        }
    }

    public Task BeginWrapUpAsync(string agentId) => Agent(agentId).BeginWrapUpAsync(conversationId);

    public Task ReleaseAsync(string agentId, ConversationState state, string? reason) =>
        Agent(agentId).ReleaseAsync(conversationId, state, reason);

    public Task ReleaseOfferAsync(string agentId, string answer) => Agent(agentId).ReleaseOfferAsync(conversationId, answer);

    public async Task ReleaseOfferQuietlyAsync(string agentId, string answer)
    {
        try
        {
            await Agent(agentId).ReleaseOfferAsync(conversationId, answer);
        }
        catch (Exception e)
        {
            // Its silo died or is frozen: the line comes first, for nothing else would put the conversation back in it.
            Log.OfferReleaseMissed(logger, e, conversationId, agentId);
        }
    }

    public void Notify(string agentId, AgentNotification notification) => _ = Agent(agentId).NotifyAsync(notification);

    public async Task<string?> AgentNameAsync(string agentId) => (await Agent(agentId).GetAsync())?.Definition.Name;

    public Task<QueuePosition> EnqueueAsync(ConversationRecord record, bool isArrival) =>
        Queue(record.QueueId).EnqueueAsync(record.Ticket(), isArrival);

    /// <summary>A new conversation arrives at its queue: into the line, or first to the queue's self-service step.</summary>
    public Task<Arrival> ArriveAsync(ConversationRecord record) => Queue(record.QueueId).ArriveAsync(record.Ticket());

    /// <summary>The workspace's knowledge base searched on this silo (docs/self-service.md).</summary>
    public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query) =>
        grains.GetGrain<IKnowledgeSearchGrain>(workspace).SearchAsync(query);

    public Task RemoveAsync(string queueId) => Queue(queueId).RemoveAsync(conversationId);

    public Task<QueuePosition?> PositionAsync(string queueId) => Queue(queueId).GetPositionAsync(conversationId);

    public async Task RequireQueueAsync(string queueId)
    {
        if (await Queue(queueId).GetAsync() is null)
        {
            throw RoutingException.NotFound("queue", queueId, "toQueueId");
        }
    }

    /// <summary>The definition of the conversation's queue, fetched once per activation (and again after a transfer).</summary>
    public async Task<QueueDefinition?> QueueDefinitionAsync(string queueId)
    {
        if (_queueDefinition?.QueueId != queueId)
        {
            _queueDefinition = await Queue(queueId).GetAsync();
        }
        return _queueDefinition?.Definition;
    }

    public Task WatchAsync(string queueId, bool watching) => Queue(queueId).WatchAsync(conversationId, watching);

    public Task RecordConnectedAsync(string queueId, TimeSpan waited) => RecordInQueueAsync(queueId, q => q.RecordConnectedAsync(waited));

    /// <summary>Quiet: the queue counts, for its live figures, the end of the self-service step.</summary>
    public Task RecordSelfServiceAsync(string queueId, bool deflected) =>
        RecordInQueueAsync(queueId, q => q.RecordSelfServiceAsync(deflected));

    public Task RecordCompletedAsync(string queueId, TimeSpan handled) => RecordInQueueAsync(queueId, q => q.RecordCompletedAsync(handled));

    public Task RecordAbandonedAsync(string queueId, TimeSpan waited) => RecordInQueueAsync(queueId, q => q.RecordAbandonedAsync(waited));

    /// <summary>
    /// Tells the queue, for its statistics, what became of the conversation — after the change is committed, so a
    /// queue that cannot be reached (its silo just died) costs a count, never the answer to an accept or a complete
    /// that has already happened.
    /// </summary>
    private async Task RecordInQueueAsync(string queueId, Func<IQueueCallbacks, Task> record)
    {
        try
        {
            await record(Queue(queueId));
        }
        catch (Exception e) when (e is not RoutingException)
        {
            Log.QueueStatisticsMissed(logger, e, conversationId, queueId);
        }
    }

    /// <summary>What the agent's clients show of the offer.</summary>
    private OfferNotice NoticeOf(ConversationRecord r, string queueId, DateTimeOffset expiresAt) =>
        new(conversationId, r.Channel, queueId, r.Customer.Name, r.Customer.Tier, r.Skills, r.WaitStart, expiresAt);

    private IQueueCallbacks Queue(string queueId) => grains.QueueCallbacks(workspace, queueId);

    private IAgentCallbacks Agent(string agentId) => grains.AgentCallbacks(workspace, agentId);
}
