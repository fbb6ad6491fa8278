using Routing.Contracts;
using Routing.Contracts.Knowledge;
using Routing.Ledger;

namespace Routing.Tests.Ledger;

/// <summary>Records with every field filled in, and times that need every tick to round-trip.</summary>
internal static class LedgerSamples
{
    /// <summary>11 November, with sub-millisecond ticks that a store keeping milliseconds or text seconds would lose.</summary>
    public static readonly DateTimeOffset T0 = new DateTimeOffset(2025, 11, 11, 0, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);

    public static QueueInfo Queue(string id, string name = "Billing", DateTimeOffset? at = null) =>
        new(
            id,
            new QueueDefinition(
                name,
                new ServiceLevelGoal(20, 80.5),
                "most-skilled",
                0.25,
                new Dictionary<string, int> { ["chat"] = 30, ["email"] = 120 },
                15,
                new OverflowRule("overflow", 45),
                100,
                SelfServiceModes.Off,
                [new DispositionCode("refund-issued", "Refund issued"), new DispositionCode("exchange", "退换货")]
            ),
            at ?? T0
        );

    public static QueueInfo BareQueue(string id) =>
        new(
            id,
            new QueueDefinition(
                "Bare",
                ServiceLevelGoal.Default,
                QueueDefinition.DefaultSelection,
                0,
                new Dictionary<string, int>(),
                QueueDefinition.DefaultOfferTimeoutSeconds,
                null,
                null
            ),
            T0
        );

    public static AgentRecord Agent(string id, AgentStatus status = AgentStatus.Away, string name = "Li Wei") =>
        new(
            id,
            new AgentDefinition(
                name,
                new Dictionary<string, int> { ["billing"] = 4, ["zh"] = 5 },
                new Dictionary<string, int> { ["chat"] = 3, ["voice"] = 1 },
                4,
                [new QueueMembership("billing", 1), new QueueMembership("returns", 2)]
            ),
            status,
            status == AgentStatus.Away ? "missed-offers" : null,
            T0.AddSeconds(5),
            T0.AddTicks(3),
            2,
            T0.AddSeconds(6)
        );

    public static ConversationRecord Conversation(
        string id,
        ConversationState state = ConversationState.Queued,
        DateTimeOffset? createdAt = null,
        long arrival = 1,
        string queueId = "billing"
    ) =>
        new(
            id,
            state,
            "chat",
            queueId,
            new Customer("cust-" + id, "Zhang San", "vip"),
            50,
            [
                new SkillRequirementStep(new Dictionary<string, int> { ["billing"] = 4, ["zh"] = 3 }, 30),
                new SkillRequirementStep(new Dictionary<string, int> { ["billing"] = 2 }, null),
            ],
            new Dictionary<string, string> { ["order"] = "A-1001", ["source"] = "app" },
            state is ConversationState.Queued ? null : "agent-1",
            createdAt ?? T0,
            arrival,
            ["agent-9", "agent-8"],
            [
                new OfferRecord("agent-9", T0.AddSeconds(1), "declined", T0.AddSeconds(2).AddTicks(1)),
                new OfferRecord("agent-1", T0.AddSeconds(3), "pending", null),
            ],
            T0.AddSeconds(4).AddTicks(7),
            T0.AddMinutes(5),
            state.IsFinal() ? T0.AddMinutes(6) : null,
            state.IsFinal() ? "resolved" : null,
            state is ConversationState.Completed ? 5 : null,
            T0.AddSeconds(9).AddTicks(9),
            [],
            []
        );

    public static ConversationTransition Transition(ConversationState state, int second, string? agentId = null) =>
        new(state, T0.AddSeconds(second).AddTicks(second + 1), agentId, "billing", state is ConversationState.Queued ? null : "routed");

    public static TranscriptMessage Message(long sequence, string text, string from = "customer") =>
        new(sequence, T0.AddSeconds(sequence).AddTicks(11), from, from == "agent" ? "agent-1" : null, text);

    public static ConversationChange Change(
        ConversationRecord conversation,
        IReadOnlyList<ConversationTransition>? transitions = null,
        IReadOnlyList<TranscriptMessage>? messages = null
    ) => new(conversation, transitions ?? [], messages ?? []);

    /// <summary>A version of a knowledge article with every field filled in; each version is made a little later.</summary>
    public static KnowledgeArticle Article(string id, long version = 1, string title = "How do I return an order?", bool deleted = false) =>
        new(
            id,
            title,
            ["Can I send it back?", "return policy"],
            "Open Orders, choose the order, then Return. Details: https://example.com/returns",
            "returns",
            KnowledgeArticle.English,
            ["returns", "orders"],
            Enabled: true,
            version,
            T0.AddMinutes(version).AddTicks(version),
            "li",
            deleted
        );

    /// <summary>The record as a whole read should return it: with the given timeline and transcript.</summary>
    public static ConversationRecord With(
        this ConversationRecord conversation,
        IReadOnlyList<ConversationTransition> timeline,
        IReadOnlyList<TranscriptMessage> transcript,
        IReadOnlyList<ConversationNote>? notes = null
    ) => conversation with { Timeline = timeline, Transcript = transcript, Notes = notes ?? [] };
}
