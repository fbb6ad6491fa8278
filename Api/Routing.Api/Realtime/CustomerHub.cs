using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Routing.Api.Auth;
using Routing.Api.Problems;
using Routing.Contracts;
using Routing.Contracts.Knowledge;
using Routing.Contracts.Realtime;

namespace Routing.Api.Realtime;

/// <summary>
/// <c>/hubs/customer</c>: a customer's chat widget, joined to its own conversation by the customer token (as
/// <c>access_token</c>) that <c>POST /api/conversations</c> or <c>POST /api/chat/conversations</c> returned. It hears its place in line,
/// the agent joining (by display name),
/// messages and the end; it can write, leave and rate.
/// </summary>
public sealed class CustomerHub(IGrainFactory grains, RealtimeRelay relay, TokenIssuer tokens, IOptions<RoutingOptions> options)
    : Hub<ICustomerClient>,
        ICustomerHub
{
    private const string ConversationKey = "conversationKey";

    private IConversationGrain Conversation => grains.Grain<IConversationGrain>((string)Context.Items[ConversationKey]!);

    public override async Task OnConnectedAsync()
    {
        if (Caller.From(Context.User!) is not { ConversationId: { } conversationId } caller)
        {
            throw HubErrors.Error("invalid-token", "access_token", "Connect with the customer token of your conversation.");
        }
        var key = GrainKeys.For(caller.Workspace, conversationId);
        Context.Items[ConversationKey] = key;
        await Groups.AddToGroupAsync(Context.ConnectionId, RealtimeRelay.CustomerGroup(key));
        await grains.Grain<IConversationGrain>(key).ConnectCustomerAsync(Context.ConnectionId, relay.Self);
        relay.Track(Context.ConnectionId, isAgent: false, key);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        relay.Untrack(Context.ConnectionId);
        if (Context.Items.ContainsKey(ConversationKey))
        {
            await Conversation.DisconnectCustomerAsync(Context.ConnectionId);
        }
    }

    public Task<CustomerSnapshot> Resync(long lastSeen) => Conversation.GetCustomerSnapshotAsync(lastSeen);

    public Task<TranscriptMessage> SendMessage(string text)
    {
        RealtimeChecks.Message(text, options.Value);
        return Conversation.AddMessageAsync("customer", null, text);
    }

    public Task Typing() => Conversation.TypingAsync(null);

    public async Task<CustomerSnapshot> Leave()
    {
        await Conversation.AbandonAsync();
        return await Conversation.GetCustomerSnapshotAsync(long.MaxValue);
    }

    public async Task<CustomerSnapshot> Rate(int score, string? comment)
    {
        // The limits of POST /api/conversations/{id}/rating.
        new RequestValidator()
            .Rating(score)
            .Text(comment, "comment", options.Value.MaxMessageLength, required: false)
            .ThrowIfInvalid();
        await Conversation.RateAsync(score, comment);
        return await Conversation.GetCustomerSnapshotAsync(long.MaxValue);
    }

    public async Task<CustomerSnapshot> Escalate()
    {
        await Conversation.EscalateAsync();
        return await Conversation.GetCustomerSnapshotAsync(long.MaxValue);
    }

    public async Task<CustomerSnapshot> Resolve(string articleId)
    {
        new RequestValidator().Id(articleId, "articleId").ThrowIfInvalid();
        await Conversation.ResolveAsync(articleId);
        return await Conversation.GetCustomerSnapshotAsync(long.MaxValue);
    }

    public Task<IReadOnlyList<Suggestion>> Suggest(string text)
    {
        new RequestValidator().Text(text, "text", Limits.SearchTextLength).ThrowIfInvalid();
        return Conversation.SuggestAsync(text);
    }

    public async Task<string> RenewToken()
    {
        var (workspace, conversationId) = GrainKeys.Parse((string)Context.Items[ConversationKey]!);
        HubErrors.Require(
            !(await Conversation.GetAsync()).State.IsFinal(),
            "conversationId",
            "conversation-ended",
            "The conversation has ended; its token is not renewed."
        );
        return tokens.ForCustomer(workspace, conversationId);
    }
}
