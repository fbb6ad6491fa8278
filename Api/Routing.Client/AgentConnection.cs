using Microsoft.AspNetCore.SignalR.Client;
using Routing.Contracts;
using Routing.Contracts.Realtime;

namespace Routing.Client;

/// <summary>
/// An agent's realtime connection (<c>/hubs/agent</c>): its status, the offers it holds and the conversations
/// it serves, kept current by pushes and re-taken from a snapshot after every reconnect. Messages reach
/// <see cref="MessageReceived"/> in order and once each, across reconnects.
/// </summary>
public sealed class AgentConnection : RealtimeConnection
{
    private readonly object _gate = new();
    private readonly Dictionary<string, OfferNotice> _offers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TranscriptFeed> _transcripts = new(StringComparer.Ordinal);

    public AgentConnection(RealtimeOptions options, string agentId)
        : base(options, $"/hubs/agent?agentId={Uri.EscapeDataString(agentId)}")
    {
        AgentId = agentId;
        Hub.On<OfferNotice>(
            nameof(IAgentClient.OfferReceived),
            offer =>
            {
                List<OfferNotice> fresh;
                lock (_gate)
                {
                    fresh = Hold([offer]);
                }
                fresh.ForEach(o => OfferReceived?.Invoke(o));
            }
        );
        Hub.On<string, string>(
            nameof(IAgentClient.OfferEnded),
            (conversationId, reason) =>
            {
                lock (_gate)
                {
                    _offers.Remove(conversationId);
                }
                OfferEnded?.Invoke(conversationId, reason);
            }
        );
        Hub.On<string, ConversationState, string?>(
            nameof(IAgentClient.AssignmentChanged),
            (conversationId, state, reason) =>
            {
                lock (_gate)
                {
                    if (state == ConversationState.Connected)
                    {
                        _transcripts.TryAdd(conversationId, new TranscriptFeed());
                    }
                }
                AssignmentChanged?.Invoke(conversationId, state, reason);
            }
        );
        Hub.On<string, TranscriptMessage>(
            nameof(IAgentClient.MessageReceived),
            (conversationId, message) => Deliver(conversationId, [message])
        );
        Hub.On<string, ConversationNote>(nameof(IAgentClient.NoteReceived), (id, note) => NoteReceived?.Invoke(id, note));
        Hub.On<string>(nameof(IAgentClient.CustomerTyping), id => CustomerTyping?.Invoke(id));
        Hub.On<AgentStatus, string?>(
            nameof(IAgentClient.StatusChanged),
            (status, reason) =>
            {
                Status = status;
                StatusChanged?.Invoke(status, reason);
            }
        );
    }

    public string AgentId { get; }

    public AgentStatus Status { get; private set; }

    /// <summary>
    /// Each offer the agent comes to hold, once: pushed, or — one made while the connection was down, whose push was
    /// lost — from the snapshot after the reconnect, so a desk that takes offers here misses none; a push repeated is not
    /// raised twice.
    /// </summary>
    public event Action<OfferNotice>? OfferReceived;

    public event Action<string, string>? OfferEnded;

    public event Action<string, ConversationState, string?>? AssignmentChanged;

    /// <summary>Each message of each conversation, once, in order.</summary>
    public event Action<string, TranscriptMessage>? MessageReceived;

    /// <summary>A supervisor's whisper or barge-in in a conversation the agent holds (docs/supervision.md); the snapshot after
    /// a reconnect carries them all again, in <see cref="AgentConversation.Notes"/>.</summary>
    public event Action<string, ConversationNote>? NoteReceived;

    public event Action<AgentStatus, string?>? StatusChanged;

    /// <summary>The customer of a conversation the agent holds is typing.</summary>
    public event Action<string>? CustomerTyping;

    /// <summary>Tells the customer the agent is typing (send it at most every few seconds).</summary>
    public Task TypingAsync(string conversationId) => Call<object?>(nameof(IAgentHub.Typing), conversationId);

    public IReadOnlyList<OfferNotice> Offers
    {
        get
        {
            lock (_gate)
            {
                return _offers.Values.ToList();
            }
        }
    }

    /// <summary>The transcript seen so far of a conversation the agent serves.</summary>
    public IReadOnlyList<TranscriptMessage> Transcript(string conversationId)
    {
        lock (_gate)
        {
            return _transcripts.TryGetValue(conversationId, out var feed) ? feed.Messages.ToList() : [];
        }
    }

    public Task<AgentView> SetStatusAsync(AgentStatus status, string? reason = null) =>
        Call<AgentView>(nameof(IAgentHub.SetStatus), status, reason);

    public Task<ConversationView> AcceptAsync(string conversationId) => Call<ConversationView>(nameof(IAgentHub.Accept), conversationId);

    public Task<ConversationView> DeclineAsync(string conversationId) => Call<ConversationView>(nameof(IAgentHub.Decline), conversationId);

    /// <summary>A private note on a conversation the agent holds; it comes back as <see cref="NoteReceived"/> too.</summary>
    public Task<ConversationNote> AddNoteAsync(string conversationId, string text) =>
        Call<ConversationNote>(nameof(IAgentHub.AddNote), conversationId, text);

    public Task<TranscriptMessage> SendMessageAsync(string conversationId, string text) =>
        Call<TranscriptMessage>(nameof(IAgentHub.SendMessage), conversationId, text);

    public Task<ConversationView> CompleteAsync(string conversationId, string? disposition = null) =>
        Call<ConversationView>(nameof(IAgentHub.Complete), conversationId, disposition);

    /// <summary>Done wrapping up early: the conversation is Completed and the slot free before the wrap-up time is over.</summary>
    public Task<ConversationView> FinishWrapUpAsync(string conversationId) =>
        Call<ConversationView>(nameof(IAgentHub.FinishWrapUp), conversationId);

    public Task<ConversationView> TransferToQueueAsync(string conversationId, string queueId) =>
        Call<ConversationView>(nameof(IAgentHub.TransferToQueue), conversationId, queueId);

    public Task<ConversationView> TransferToAgentAsync(string conversationId, string agentId) =>
        Call<ConversationView>(nameof(IAgentHub.TransferToAgent), conversationId, agentId);

    protected override async Task ApplySnapshotAsync()
    {
        Dictionary<string, long> lastSeen;
        Dictionary<string, OfferNotice> offeredBefore;
        lock (_gate)
        {
            lastSeen = _transcripts.ToDictionary(t => t.Key, t => t.Value.LastSequence);
            offeredBefore = new Dictionary<string, OfferNotice>(_offers, StringComparer.Ordinal);
        }
        var snapshot = await Call<AgentSnapshot>(nameof(IAgentHub.Resync), lastSeen);
        Status = snapshot.Agent.Status;
        List<OfferNotice> fresh;
        lock (_gate)
        {
            // Offers held before the snapshot and not in it are over; one pushed while the snapshot was on its way is kept.
            var offered = snapshot.Offers.Select(o => o.ConversationId).ToHashSet(StringComparer.Ordinal);
            foreach (var (conversationId, offer) in offeredBefore)
            {
                if (!offered.Contains(conversationId) && _offers.TryGetValue(conversationId, out var now) && ReferenceEquals(now, offer))
                {
                    _offers.Remove(conversationId);
                }
            }
            fresh = Hold(snapshot.Offers);
        }
        fresh.ForEach(o => OfferReceived?.Invoke(o));
        foreach (var conversation in snapshot.Conversations)
        {
            Deliver(conversation.ConversationId, conversation.Transcript);
        }
    }

    /// <summary>
    /// Holds <paramref name="offers"/> (under the gate) and answers those not held before. An offer is known by its
    /// conversation and its expiry: a push repeated (a grain activated afresh tells its connections again) is the same
    /// offer, and a conversation offered again to the same agent (its first offer lost with a node) a new one.
    /// </summary>
    private List<OfferNotice> Hold(IEnumerable<OfferNotice> offers)
    {
        var fresh = new List<OfferNotice>();
        foreach (var offer in offers)
        {
            if (!_offers.TryGetValue(offer.ConversationId, out var held) || held.ExpiresAt != offer.ExpiresAt)
            {
                fresh.Add(offer);
            }
            _offers[offer.ConversationId] = offer;
        }
        return fresh;
    }

    private void Deliver(string conversationId, IEnumerable<TranscriptMessage> messages)
    {
        var ready = new List<TranscriptMessage>();
        bool gap;
        lock (_gate)
        {
            if (!_transcripts.TryGetValue(conversationId, out var feed))
            {
                _transcripts[conversationId] = feed = new TranscriptFeed();
            }
            foreach (var message in messages.OrderBy(m => m.Sequence))
            {
                ready.AddRange(feed.Add(message));
            }
            gap = feed.HasGap;
        }
        foreach (var message in ready)
        {
            MessageReceived?.Invoke(conversationId, message);
        }
        if (gap && State == HubConnectionState.Connected)
        {
            _ = ResyncAsync(); // a push overtook one we missed: the snapshot brings what lies between
        }
    }
}
