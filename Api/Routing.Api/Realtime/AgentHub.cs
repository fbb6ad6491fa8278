using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Routing.Api.Auth;
using Routing.Api.Problems;
using Routing.Contracts;
using Routing.Contracts.Access;
using Routing.Contracts.Realtime;

namespace Routing.Api.Realtime;

/// <summary>
/// <c>/hubs/agent</c>: an agent's desk. Thin — validate, call one grain, return. The agent is the token's own (a
/// query <c>agentId</c> naming another is refused); an admin's token names the agent it acts for in <c>?agentId=</c>.
/// A client calls <see cref="Resync"/> after every (re)connect.
/// </summary>
public sealed class AgentHub(IGrainFactory grains, RealtimeRelay relay, IOptions<RoutingOptions> options) : Hub<IAgentClient>, IAgentHub
{
    private const string AgentKey = "agentKey";

    private string Key => (string)Context.Items[AgentKey]!;

    private IAgentGrain Agent => grains.Grain<IAgentGrain>(Key);

    public override async Task OnConnectedAsync()
    {
        var caller = Caller.From(Context.User!) ?? throw HubErrors.Error("forbidden", null, "The credential names no workspace or role.");
        var named = Context.GetHttpContext()?.Request.Query["agentId"].ToString() is { Length: > 0 } query ? query : null;
        var agentId = caller.Role == StaffRoles.Agent ? caller.AgentId : named;
        if (named is not null && caller.IsOtherAgent(named))
        {
            throw HubErrors.Error("not-your-agent", "agentId", "An agent connects only as itself.");
        }
        if (!RequestValidator.IsId(agentId))
        {
            throw HubErrors.Error("invalid-id", "agentId", "Connect as /hubs/agent?agentId={agentId} to act for an agent.");
        }
        var key = GrainKeys.For(caller.Workspace, agentId!);
        Context.Items[AgentKey] = key;
        await Groups.AddToGroupAsync(Context.ConnectionId, RealtimeRelay.AgentGroup(key));
        try
        {
            // refuses an unknown agent, or one over its connection cap
            await grains.Grain<IAgentGrain>(key).ConnectAsync(Context.ConnectionId, relay.Self);
        }
        catch (RoutingException e)
        {
            throw HubErrors.Error(e.Code, e.Field, e.Message); // a hub error's text reaches the client in the close message
        }
        relay.Track(Context.ConnectionId, isAgent: true, key);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        relay.Untrack(Context.ConnectionId);
        if (Context.Items.ContainsKey(AgentKey))
        {
            await Agent.DisconnectAsync(Context.ConnectionId);
        }
    }

    public async Task<AgentSnapshot> Resync(IReadOnlyDictionary<string, long>? lastSeen)
    {
        var snapshot = await Agent.GetSnapshotAsync();
        var conversations = new List<AgentConversation>();
        foreach (var assignment in snapshot.Agent.Assignments)
        {
            var c = await Conversation(assignment.ConversationId).GetAsync();
            var after = lastSeen?.GetValueOrDefault(assignment.ConversationId) ?? 0;
            conversations.Add(
                new AgentConversation(
                    c.ConversationId,
                    c.State,
                    c.Channel,
                    c.QueueId,
                    c.Customer,
                    c.CreatedAt,
                    c.Transcript.Where(m => m.Sequence > after).ToList(),
                    [.. (c.Notes ?? []).Where(n => n.ForAgent)],
                    c.WrapUpEndsAt
                )
            );
        }
        return snapshot with { Conversations = conversations };
    }

    public Task<AgentView> SetStatus(AgentStatus status, string? reason)
    {
        new RequestValidator()
            .Require(Enum.IsDefined(status), "status", "unknown-status", "'status' must be Available, Away or Offline.")
            .StatusReason(reason)
            .ThrowIfInvalid();
        return Agent.SetStatusAsync(status, reason);
    }

    public Task<ConversationView> Accept(string conversationId) => Conversation(conversationId).AcceptAsync(AgentId);

    public Task<ConversationView> Decline(string conversationId) => Conversation(conversationId).DeclineAsync(AgentId);

    public Task<TranscriptMessage> SendMessage(string conversationId, string text)
    {
        RealtimeChecks.Message(text, options.Value);
        return Conversation(conversationId).AddMessageAsync("agent", AgentId, text);
    }

    public Task<ConversationNote> AddNote(string conversationId, string text)
    {
        RealtimeChecks.Message(text, options.Value);
        return Conversation(conversationId).AddNoteAsync(AgentId, AgentId, text);
    }

    public Task Typing(string conversationId) => Conversation(conversationId).TypingAsync(AgentId);

    public Task<ConversationView> Complete(string conversationId, string? disposition)
    {
        new RequestValidator().Disposition(disposition).ThrowIfInvalid();
        return Conversation(conversationId).CompleteAsync(AgentId, disposition);
    }

    public Task<ConversationView> FinishWrapUp(string conversationId) => Conversation(conversationId).FinishWrapUpAsync(AgentId);

    public Task<ConversationView> TransferToQueue(string conversationId, string queueId)
    {
        new RequestValidator().Id(queueId, "toQueueId").ThrowIfInvalid();
        return Conversation(conversationId).TransferToQueueAsync(AgentId, queueId);
    }

    public Task<ConversationView> TransferToAgent(string conversationId, string agentId)
    {
        new RequestValidator().Id(agentId, "toAgentId").ThrowIfInvalid();
        return Conversation(conversationId).TransferToAgentAsync(AgentId, agentId);
    }

    private string AgentId => GrainKeys.Parse(Key).Id;

    private IConversationGrain Conversation(string conversationId)
    {
        RealtimeChecks.ConversationId(conversationId);
        return grains.Conversation(GrainKeys.Parse(Key).Workspace, conversationId);
    }
}
