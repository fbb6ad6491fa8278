using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.Policy;

namespace Routing.Api.Realtime;

/// <summary>
/// <c>/hubs/customer?token=…</c>: a customer's chat widget, joined to its own conversation by the token that
/// <c>POST /api/conversations</c> returned. It hears its place in line, the agent joining (by display name),
/// messages and the end; it can write, leave and rate.
/// </summary>
public sealed class CustomerHub(IGrainFactory grains, RealtimeRelay relay, CustomerTokens tokens, IOptions<RoutingOptions> options)
    : Hub<ICustomerClient>, ICustomerHub
{
    private const string ConversationKey = "conversationKey";

    private IConversationGrain Conversation => grains.GetGrain<IConversationGrain>((string)Context.Items[ConversationKey]!);

    public override async Task OnConnectedAsync()
    {
        if (!tokens.TryRead(Context.GetHttpContext()?.Request.Query["token"].ToString(), out var key))
        {
            throw HubErrors.Error("invalid-token", "token", "Connect as /hubs/customer?token={customerToken} with the token of your conversation.");
        }
        Context.Items[ConversationKey] = key;
        await Groups.AddToGroupAsync(Context.ConnectionId, RealtimeRelay.CustomerGroup(key));
        await grains.GetGrain<IConversationGrain>(key).ConnectCustomerAsync(Context.ConnectionId, relay.Self);
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

    public async Task<CustomerSnapshot> Leave()
    {
        await Conversation.AbandonAsync();
        return await Conversation.GetCustomerSnapshotAsync(long.MaxValue);
    }

    public async Task<CustomerSnapshot> Rate(int score)
    {
        HubErrors.Require(score is >= 1 and <= 5, "score", "score-out-of-range", "'score' must be a whole number from 1 to 5.");
        await Conversation.RateAsync(score);
        return await Conversation.GetCustomerSnapshotAsync(long.MaxValue);
    }
}
