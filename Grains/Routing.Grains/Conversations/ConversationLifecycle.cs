using Routing.Contracts;
using Routing.Ledger;

namespace Routing.Grains.Conversations;

/// <summary>
/// The life of a conversation as a pure transition function (docs/conversations.md): a record and a command give the
/// next record and the transitions it appends to the timeline, or a <see cref="RoutingException"/> that changes
/// nothing. No grain calls, no clock: <see cref="ConversationGrain"/> checks with the agent and the queue what only
/// they can say (a reserved slot, a queue's wrap-up), writes the step, then tells the others. Property-tested
/// without a silo.
/// </summary>
public static class ConversationLifecycle
{
    /// <summary>One step: the record to write and make current, and what it appends to the timeline.</summary>
    public sealed record Step(ConversationRecord Next, IReadOnlyList<ConversationTransition> Transitions)
    {
        public Step(ConversationRecord next, params ConversationTransition[] transitions)
            : this(next, (IReadOnlyList<ConversationTransition>)transitions) { }
    }

    /// <summary>
    /// A new conversation: created and queued at once, waiting from <paramref name="now"/> — or, given a self-service
    /// <paramref name="selfService"/> mode, created into the self-service step, not yet waiting for anyone.
    /// </summary>
    public static Step Create(
        string conversationId,
        StartConversation request,
        long arrival,
        DateTimeOffset now,
        string? selfService = null
    )
    {
        ArgumentNullException.ThrowIfNull(request);
        var record = new ConversationRecord(
            conversationId,
            ConversationState.Queued,
            request.Channel,
            request.QueueId,
            request.Customer,
            request.Priority,
            request.Skills,
            request.Attributes,
            AgentId: null,
            CreatedAt: now,
            Arrival: arrival,
            ExcludedAgents: [],
            Offers: [],
            ConnectedAt: null,
            WrapUpEndsAt: null,
            EndedAt: null,
            Disposition: null,
            Rating: null,
            UpdatedAt: now,
            Timeline: [],
            Transcript: [],
            RequestHash: request.RequestHash,
            WaitingSince: selfService is null ? now : null
        );
        if (selfService is not null)
        {
            return new Step(
                record with
                {
                    State = ConversationState.SelfService,
                },
                new ConversationTransition(ConversationState.Created, now, null, request.QueueId, request.Customer.Tier),
                new ConversationTransition(ConversationState.SelfService, now, null, request.QueueId, selfService)
            );
        }
        return new Step(
            record,
            new ConversationTransition(ConversationState.Created, now, null, request.QueueId, request.Customer.Tier),
            new ConversationTransition(ConversationState.Queued, now, null, request.QueueId, null)
        );
    }

    /// <summary>
    /// Offered to <paramref name="agentId"/>, whose slot is reserved, until <paramref name="expiresAt"/>: from the line
    /// (through its own queue or an overflow queue, <paramref name="reason"/> <c>overflow</c>), or by the agent holding
    /// it (a transfer to an agent, reason <c>transferred</c>).
    /// </summary>
    public static Step Offer(
        ConversationRecord record,
        string agentId,
        DateTimeOffset expiresAt,
        string viaQueueId,
        string? reason,
        DateTimeOffset now
    )
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.State is not (ConversationState.Queued or ConversationState.Connected))
        {
            throw RoutingException.Conflict(
                "conversation-not-waiting",
                $"Conversation '{record.ConversationId}' is {record.State}; it cannot be offered."
            );
        }
        var next = record with
        {
            State = ConversationState.Offered,
            AgentId = agentId,
            ConnectedAt = null,
            Offers = [.. record.Offers, new OfferRecord(agentId, now, "pending", null, expiresAt)],
            UpdatedAt = now,
        };
        return new Step(next, new ConversationTransition(ConversationState.Offered, now, agentId, viaQueueId, reason));
    }

    /// <summary>The agent holding the offer accepts it.</summary>
    public static Step Accept(ConversationRecord record, string agentId, DateTimeOffset now)
    {
        RequireOfferHeldBy(record, agentId);
        return new Step(
            record with
            {
                State = ConversationState.Connected,
                ConnectedAt = now,
                Offers = AnswerLastOffer(record, "accepted", now),
            },
            new ConversationTransition(ConversationState.Connected, now, agentId, record.QueueId, null)
        );
    }

    /// <summary>
    /// Back in line at its original place — the wait keeps counting from creation — with its offer answered
    /// (<paramref name="answer"/>: declined, timed-out, expired, withdrawn, lost) and the agent who let it go excluded
    /// when <paramref name="exclude"/> names one.
    /// </summary>
    public static Step ReturnToLine(ConversationRecord record, string reason, string? exclude, string answer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.State != ConversationState.Offered)
        {
            throw RoutingException.Conflict(
                "offer-not-held",
                $"Conversation '{record.ConversationId}' is {record.State}; it has no offer to end."
            );
        }
        var next = record with
        {
            State = ConversationState.Queued,
            AgentId = null,
            ExcludedAgents = exclude is null ? record.ExcludedAgents : [.. record.ExcludedAgents.Append(exclude).Distinct()],
            Offers = AnswerLastOffer(record, answer, now),
        };
        return new Step(next, new ConversationTransition(ConversationState.Queued, now, record.AgentId, record.QueueId, reason));
    }

    /// <summary>The agent completes it: into wrap-up for <paramref name="wrapUpSeconds"/>, or straight through to Completed.</summary>
    public static Step Complete(ConversationRecord record, string agentId, string? disposition, int wrapUpSeconds, DateTimeOffset now)
    {
        RequireConnectedWith(record, agentId);
        var wrapUp = new ConversationTransition(ConversationState.WrapUp, now, agentId, record.QueueId, null);
        return wrapUpSeconds > 0
            ? new Step(
                record with
                {
                    State = ConversationState.WrapUp,
                    WrapUpEndsAt = now.AddSeconds(wrapUpSeconds),
                    Disposition = disposition,
                },
                wrapUp
            )
            : new Step(
                record with
                {
                    State = ConversationState.Completed,
                    WrapUpEndsAt = now,
                    EndedAt = now,
                    Disposition = disposition,
                },
                wrapUp,
                new ConversationTransition(ConversationState.Completed, now, agentId, record.QueueId, null)
            );
    }

    /// <summary>The wrap-up's time is up: Completed.</summary>
    public static Step EndWrapUp(ConversationRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.State != ConversationState.WrapUp)
        {
            throw RoutingException.Conflict("not-in-wrap-up", $"Conversation '{record.ConversationId}' is {record.State}, not in wrap-up.");
        }
        return new Step(
            record with
            {
                State = ConversationState.Completed,
                EndedAt = now,
            },
            new ConversationTransition(ConversationState.Completed, now, record.AgentId, record.QueueId, null)
        );
    }

    /// <summary>The agent holding it sends it to another queue's line; the agent is excluded from being offered it again.</summary>
    public static Step TransferToQueue(ConversationRecord record, string agentId, string queueId, DateTimeOffset now)
    {
        RequireConnectedWith(record, agentId);
        var next = record with
        {
            State = ConversationState.Queued,
            QueueId = queueId,
            AgentId = null,
            ConnectedAt = null,
            ExcludedAgents = [.. record.ExcludedAgents.Append(agentId).Distinct()],
        };
        return new Step(next, new ConversationTransition(ConversationState.Queued, now, agentId, queueId, "transferred"));
    }

    /// <summary>A supervisor moves it, while it waits, to another queue's line (an offer under way is withdrawn).</summary>
    public static Step MoveToQueue(ConversationRecord record, string queueId, DateTimeOffset now)
    {
        RequireWaiting(record, "moved");
        return new Step(
            record with
            {
                State = ConversationState.Queued,
                QueueId = queueId,
                AgentId = null,
                Offers = AnswerLastOffer(record, "withdrawn", now),
            },
            new ConversationTransition(ConversationState.Queued, now, null, queueId, "moved")
        );
    }

    /// <summary>
    /// Out of the self-service step into the queue's line, for <paramref name="reason"/>: the customer asked for a person,
    /// or the knowledge base had no answer. The wait for a person starts now.
    /// </summary>
    public static Step Escalate(ConversationRecord record, string reason, DateTimeOffset now)
    {
        RequireSelfService(record, "escalated");
        return new Step(
            record with
            {
                State = ConversationState.Queued,
                WaitingSince = now,
            },
            new ConversationTransition(ConversationState.Queued, now, null, record.QueueId, reason)
        );
    }

    /// <summary>The customer says the article <paramref name="articleId"/> answered them: resolved by self-service, and ended.</summary>
    public static Step Resolve(ConversationRecord record, string articleId, DateTimeOffset now)
    {
        RequireSelfService(record, "resolved");
        return new Step(
            record with
            {
                State = ConversationState.Resolved,
                EndedAt = now,
                Disposition = articleId,
            },
            new ConversationTransition(ConversationState.Resolved, now, null, record.QueueId, "self-service")
        );
    }

    /// <summary>The self-service step's answer: a bot's message giving one article, numbered after the <paramref name="count"/>
    /// the transcript holds; null when the transcript is full.</summary>
    public static TranscriptMessage? BotMessage(int count, string text, string? articleId, RoutingOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        return count >= options.MaxTranscriptMessages ? null : new TranscriptMessage(count + 1, now, "bot", null, text, articleId);
    }

    /// <summary>
    /// The customer gives up while waiting (queued, or offered: the offer is withdrawn), or leaves the self-service step —
    /// for <paramref name="stepReason"/>, <see cref="SelfServiceStep.LeftStep"/> unless it says otherwise.
    /// </summary>
    public static Step Abandon(ConversationRecord record, DateTimeOffset now, string stepReason = SelfServiceStep.LeftStep)
    {
        if (record.State != ConversationState.SelfService)
        {
            RequireWaiting(record, "abandoned");
        }
        return new Step(
            record with
            {
                State = ConversationState.Abandoned,
                AgentId = null,
                EndedAt = now,
                Offers = AnswerLastOffer(record, "withdrawn", now),
            },
            new ConversationTransition(
                ConversationState.Abandoned,
                now,
                null,
                record.QueueId,
                record.State == ConversationState.SelfService ? stepReason : null
            )
        );
    }

    /// <summary>The customer rates it, once, from 1 to 5, after it is completed.</summary>
    public static Step Rate(ConversationRecord record, int score)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (score is < 1 or > 5)
        {
            throw RoutingException.Invalid("score", "A rating is a whole number from 1 to 5.");
        }
        if (record.State is not (ConversationState.WrapUp or ConversationState.Completed))
        {
            throw RoutingException.Conflict(
                "not-completed",
                $"Conversation '{record.ConversationId}' is {record.State}; it can be rated once completed."
            );
        }
        if (record.Rating is not null)
        {
            throw RoutingException.Conflict("already-rated", $"Conversation '{record.ConversationId}' was already rated.");
        }
        return new Step(record with { Rating = score });
    }

    /// <summary>
    /// The transcript's next message, numbered after the <paramref name="count"/> it holds, or refused: a channel that
    /// keeps no transcript, a message longer than the settings allow, or a transcript full.
    /// </summary>
    public static TranscriptMessage Message(
        ConversationRecord record,
        int count,
        string from,
        string? agentId,
        string text,
        RoutingOptions options,
        DateTimeOffset now,
        IReadOnlyList<ConversationNote>? notes = null
    )
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.KeepsTranscript(record.Channel))
        {
            throw RoutingException.Conflict("no-transcript", $"A {record.Channel} conversation keeps no transcript.", "channel");
        }
        RequireMessageLength(text, options);
        if (count >= options.MaxTranscriptMessages)
        {
            throw new RoutingException(
                RoutingErrorKind.TooLarge,
                "transcript-full",
                $"A transcript may hold at most {options.MaxTranscriptMessages} messages.",
                "text"
            );
        }
        return new TranscriptMessage(count + 1, now, from, MessageAuthor(record, from, agentId, notes), text);
    }

    /// <summary>
    /// A create for a conversation that exists (docs/reliability.md, idempotent creates): the retry of an idempotent
    /// create may have the first one's answer; the same key with another request, or after <paramref name="window"/>,
    /// is refused (422), as is a create without a key for an id that exists (409).
    /// </summary>
    public static void RequireReplay(ConversationRecord record, string? requestHash, TimeSpan window, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (requestHash is null || record.RequestHash is null)
        {
            throw RoutingException.Conflict("conversation-exists", $"Conversation '{record.ConversationId}' already exists.", "id");
        }
        if (requestHash != record.RequestHash)
        {
            throw new RoutingException(
                RoutingErrorKind.Unprocessable,
                "idempotency-key-reused",
                "This Idempotency-Key was used for a different request; use a new key for a new conversation.",
                "Idempotency-Key"
            );
        }
        if (now - record.CreatedAt > window)
        {
            throw new RoutingException(
                RoutingErrorKind.Unprocessable,
                "idempotency-key-expired",
                $"This Idempotency-Key is older than {window.TotalHours:0} hours; use a new key for a new conversation.",
                "Idempotency-Key"
            );
        }
    }

    /// <summary>
    /// Whether <paramref name="from"/> may add a message now: a customer until the conversation ends, an agent while
    /// connected with it, a supervisor (named by <paramref name="agentId"/>) who has joined it while connected (the
    /// <paramref name="notes"/> say who has: docs/supervision.md). Answers the id the message is stamped with.
    /// </summary>
    public static string? MessageAuthor(
        ConversationRecord record,
        string from,
        string? agentId,
        IReadOnlyList<ConversationNote>? notes = null
    )
    {
        ArgumentNullException.ThrowIfNull(record);
        switch (from)
        {
            case "customer" when record.State.IsFinal() || record.State == ConversationState.WrapUp:
                throw RoutingException.Conflict("conversation-ended", $"Conversation '{record.ConversationId}' has ended.");
            case "customer":
                return null;
            case "agent":
                RequireConnectedWith(record, agentId ?? "");
                return agentId;
            case "supervisor":
                return Supervision.RequireJoined(record, notes ?? [], agentId);
            default:
                throw RoutingException.Invalid("from", "A message is from 'customer' or 'agent'.");
        }
    }

    /// <summary>Queued or offered: the customer still waits for an agent, so the conversation can be <paramref name="what"/>.</summary>
    public static ConversationRecord RequireWaiting(ConversationRecord record, string what)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.State.IsWaiting()
            ? record
            : throw RoutingException.Conflict(
                "conversation-not-waiting",
                $"Conversation '{record.ConversationId}' is {record.State}; only a waiting conversation can be {what}."
            );
    }

    /// <summary>
    /// A queue that lists disposition codes takes one of them at completion, or none; a queue without any takes any text
    /// (docs/conversations.md, "Disposition codes").
    /// </summary>
    public static void RequireListedDisposition(IReadOnlyList<DispositionCode>? codes, string? disposition)
    {
        if (codes is { Count: > 0 } && disposition is not null && !codes.Any(c => c.Code == disposition))
        {
            throw RoutingException.Invalid(
                "disposition",
                $"'{disposition}' is not one of this queue's disposition codes: {string.Join(", ", codes.Select(c => c.Code))}.",
                "unknown-disposition"
            );
        }
    }

    /// <summary>Words written into a conversation — a message, a note, a comment — are at most as long as a message.</summary>
    public static void RequireMessageLength(string? text, RoutingOptions options, string field = "text")
    {
        ArgumentNullException.ThrowIfNull(options);
        if (text is not null && text.Length > options.MaxMessageLength)
        {
            throw new RoutingException(
                RoutingErrorKind.TooLarge,
                "message-too-large",
                $"A message may hold at most {options.MaxMessageLength} characters.",
                field
            );
        }
    }

    /// <summary>In the self-service step, so it can be <paramref name="what"/>.</summary>
    public static ConversationRecord RequireSelfService(ConversationRecord record, string what)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.State == ConversationState.SelfService
            ? record
            : throw RoutingException.Conflict(
                "not-in-self-service",
                $"Conversation '{record.ConversationId}' is {record.State}; only a conversation in self-service can be {what}."
            );
    }

    public static ConversationRecord RequireOfferHeldBy(ConversationRecord record, string agentId)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.State == ConversationState.Offered && record.AgentId == agentId
            ? record
            : throw RoutingException.Conflict(
                "offer-not-held",
                $"Agent '{agentId}' holds no offer of conversation '{record.ConversationId}'.",
                "agentId"
            );
    }

    public static ConversationRecord RequireConnectedWith(ConversationRecord record, string agentId)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.State == ConversationState.Connected && record.AgentId == agentId
            ? record
            : throw RoutingException.Conflict(
                "not-connected",
                $"Agent '{agentId}' is not connected with conversation '{record.ConversationId}'.",
                "agentId"
            );
    }

    /// <summary>The offers with the pending one, if any, answered.</summary>
    public static IReadOnlyList<OfferRecord> AnswerLastOffer(ConversationRecord record, string answer, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Offers.Count > 0 && record.Offers[^1].Answer == "pending"
            ? [.. record.Offers.Take(record.Offers.Count - 1), record.Offers[^1] with { Answer = answer, AnsweredAt = at }]
            : record.Offers;
    }
}
