using Microsoft.AspNetCore.SignalR.Client;
using Routing.Contracts;
using Routing.Contracts.Realtime;

namespace Routing.Client;

/// <summary>
/// A customer's realtime connection (<c>/hubs/customer</c>) to its own conversation, joined by the customer token
/// from <c>POST /api/conversations</c>: place in line and estimated wait, the agent's display name, messages in
/// order. The token is short-lived: <see cref="RenewTokenAsync"/> before it runs out keeps reconnects working.
/// </summary>
public sealed class CustomerConnection : RealtimeConnection
{
    private readonly object _gate = new();
    private readonly TranscriptFeed _transcript = new();
    private readonly TokenHolder _token;

    public CustomerConnection(RealtimeOptions options, string token)
        : this(options, new TokenHolder(token)) { }

    private CustomerConnection(RealtimeOptions options, TokenHolder token)
        : base(options, "/hubs/customer", () => Task.FromResult<string?>(token.Value))
    {
        _token = token;
        Hub.On<QueuePosition>(
            nameof(ICustomerClient.PositionChanged),
            position =>
            {
                Position = position;
                PositionChanged?.Invoke(position);
            }
        );
        Hub.On<string?>(
            nameof(ICustomerClient.AgentJoined),
            name =>
            {
                AgentName = name;
                AgentJoined?.Invoke(name);
            }
        );
        Hub.On<TranscriptMessage>(nameof(ICustomerClient.MessageReceived), message => Deliver([message]));
        Hub.On(nameof(ICustomerClient.AgentTyping), () => AgentTyping?.Invoke());
        Hub.On<string>(
            nameof(ICustomerClient.SupervisorJoined),
            supervisor =>
            {
                Supervisor = supervisor;
                SupervisorJoined?.Invoke(supervisor);
            }
        );
        Hub.On<ConversationState>(
            nameof(ICustomerClient.ConversationEnded),
            state =>
            {
                ConversationState = state;
                Ended?.Invoke(state);
            }
        );
    }

    /// <summary>The customer token the connection (re)connects with.</summary>
    public string Token => _token.Value;

    /// <summary>Swaps the token for a fresh one from the server (refused once the conversation has ended).</summary>
    public async Task<string> RenewTokenAsync()
    {
        _token.Value = await Call<string>(nameof(ICustomerHub.RenewToken));
        return _token.Value;
    }

    public ConversationState ConversationState { get; private set; }

    public QueuePosition? Position { get; private set; }

    public string? AgentName { get; private set; }

    /// <summary>The supervisor who joined the conversation, if one did (docs/supervision.md).</summary>
    public string? Supervisor { get; private set; }

    public event Action<string>? SupervisorJoined;

    /// <summary>The agent is typing.</summary>
    public event Action? AgentTyping;

    /// <summary>Tells the agent the customer is typing (send it at most every few seconds).</summary>
    public Task TypingAsync() => Call<object?>(nameof(ICustomerHub.Typing));

    public event Action<QueuePosition>? PositionChanged;

    public event Action<string?>? AgentJoined;

    public event Action<TranscriptMessage>? MessageReceived;

    public event Action<ConversationState>? Ended;

    public IReadOnlyList<TranscriptMessage> Transcript
    {
        get
        {
            lock (_gate)
            {
                return _transcript.Messages.ToList();
            }
        }
    }

    public Task<TranscriptMessage> SendMessageAsync(string text) => Call<TranscriptMessage>(nameof(ICustomerHub.SendMessage), text);

    public Task<CustomerSnapshot> LeaveAsync() => Call<CustomerSnapshot>(nameof(ICustomerHub.Leave));

    public Task<CustomerSnapshot> RateAsync(int score, string? comment = null) =>
        Call<CustomerSnapshot>(nameof(ICustomerHub.Rate), score, comment);

    protected override async Task ApplySnapshotAsync()
    {
        long lastSeen;
        lock (_gate)
        {
            lastSeen = _transcript.LastSequence;
        }
        var snapshot = await Call<CustomerSnapshot>(nameof(ICustomerHub.Resync), lastSeen);
        ConversationState = snapshot.State;
        Position = snapshot.Position;
        AgentName = snapshot.AgentName;
        Supervisor = snapshot.Supervisor ?? Supervisor;
        Deliver(snapshot.Transcript);
    }

    private void Deliver(IEnumerable<TranscriptMessage> messages)
    {
        var ready = new List<TranscriptMessage>();
        lock (_gate)
        {
            foreach (var message in messages.OrderBy(m => m.Sequence))
            {
                ready.AddRange(_transcript.Add(message));
            }
        }
        foreach (var message in ready)
        {
            MessageReceived?.Invoke(message);
        }
    }
}

/// <summary>The current customer token, shared with the connection's token provider.</summary>
internal sealed class TokenHolder(string value)
{
    public string Value { get; set; } = value;
}
