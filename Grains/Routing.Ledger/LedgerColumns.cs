namespace Routing.Ledger;

/// <summary>
/// What both ledgers select, in the order <see cref="LedgerRows"/> reads it, and which conversations count as
/// active: the SQL of <c>SqliteSchema</c> and <c>PostgresSchema</c> differs only in dialect.
/// </summary>
internal static class LedgerColumns
{
    /// <summary>The states <see cref="ILedger.ListActiveConversationsAsync"/> returns; the partial indexes repeat it verbatim so the
    /// planner uses them.</summary>
    public const string IsActive = "state IN ('SelfService', 'Queued', 'Offered', 'Connected', 'WrapUp')";

    /// <summary>
    /// The index of the active conversations. Schema version 6 added <c>SelfService</c> to <see cref="IsActive"/>: the
    /// start that inserts it drops the index made with the old predicate, which the planner could no longer use, and makes
    /// it again.
    /// </summary>
    public const string ActiveIndex =
        $"CREATE INDEX IF NOT EXISTS ix_conversations_active ON conversations (workspace, created_at, arrival) WHERE {IsActive}";

    public const string DropActiveIndex = "DROP INDEX IF EXISTS ix_conversations_active";

    /// <summary>The states of the conversations an agent holds.</summary>
    public const string IsHeld = "state IN ('Offered', 'Connected', 'WrapUp')";

    public const string Queue = "workspace, id, definition, updated_at";

    public const string Credential = "kind, id, data, updated_at";

    public const string Agent = "workspace, id, definition, status, reason, status_since, idle_since, missed_offers, updated_at";

    public const string Conversation = """
        workspace, id, state, channel, queue_id, customer, priority, skills, attributes, agent_id, created_at, arrival,
        excluded_agents, offers, connected_at, wrap_up_ends_at, ended_at, disposition, rating, updated_at, request_hash, waiting_since
        """;

    public const string Transition = "state, at, agent_id, queue_id, reason";

    /// <summary>
    /// Version 7 keeps each conversation's customer id in a column of its own, for a customer's history at the desk
    /// (docs/conversations.md, "The customer at the desk"). The id never changes after the create, so the index costs
    /// the create's insert only: the upserts do not set the column again.
    /// </summary>
    public const string CustomerIndex =
        "CREATE INDEX IF NOT EXISTS ix_conversations_customer ON conversations (workspace, customer_id, created_at)";

    /// <summary>
    /// A customer's conversations, newest first, each with the last private note written on it (notes are kept as -n:
    /// the lowest sequence is the latest); parameters (workspace, customer id, limit) named by <paramref name="p"/>.
    /// </summary>
    public static string CustomerHistory(Func<int, string> p) =>
        $"""
            SELECT c.id, c.state, c.channel, c.queue_id, c.created_at, c.ended_at, c.agent_id, c.disposition, c.rating,
                (SELECT m.text FROM conversation_messages m
                 WHERE m.workspace = c.workspace AND m.conversation_id = c.id AND m.sequence < 0 AND m.sender = 'note'
                 ORDER BY m.sequence LIMIT 1)
            FROM conversations c
            WHERE c.workspace = {p(0)} AND c.customer_id = {p(1)}
            ORDER BY c.created_at DESC, c.arrival DESC
            LIMIT {p(2)}
            """;

    public const string Message = "sequence, at, sender, agent_id, text";

    /// <summary>A knowledge article's version (its JSON) and, in the current rows, the change stamp it was saved with.</summary>
    public const string Article = "data, stamp";

    public const string ArticleVersion = "data";

    /// <summary>An agent's saved reply (its JSON).</summary>
    public const string Reply = "data";

    /// <summary>
    /// The questions the self-service step could not answer: escalations for want of an answer in a period, each with the
    /// customer's last message up to it; the parameters (workspace, from, to, limit) named by <paramref name="p"/>.
    /// </summary>
    public static string Unanswered(Func<int, string> p) =>
        $"""
            SELECT t.conversation_id, t.queue_id, t.at,
                (SELECT m.text FROM conversation_messages m
                 WHERE m.workspace = t.workspace AND m.conversation_id = t.conversation_id AND m.sender = 'customer' AND m.at <= t.at
                 ORDER BY m.sequence DESC LIMIT 1)
            FROM conversation_transitions t
            WHERE t.workspace = {p(0)} AND t.reason = 'no-answer' AND t.state = 'Queued' AND t.at >= {p(1)} AND t.at < {p(2)}
            ORDER BY t.at, t.conversation_id
            LIMIT {p(3)}
            """;

    /// <summary>
    /// The completions of the conversations created in a period, counted by queue and disposition (a self-service
    /// resolution is not one); parameters (workspace, from, to, limit) named by <paramref name="p"/>.
    /// </summary>
    public static string Dispositions(Func<int, string> p) =>
        $"""
            SELECT c.queue_id, c.disposition, count(*)
            FROM conversations c
            WHERE c.workspace = {p(0)} AND c.created_at >= {p(1)} AND c.created_at < {p(2)} AND c.state IN ('WrapUp', 'Completed')
            GROUP BY c.queue_id, c.disposition
            ORDER BY c.queue_id, count(*) DESC, c.disposition
            LIMIT {p(3)}
            """;

    /// <summary>The conversations created in a period with their customers' first messages; parameters (workspace, from, to,
    /// limit) named by <paramref name="p"/>.</summary>
    public static string FirstMessages(Func<int, string> p) =>
        $"""
            SELECT c.queue_id, c.created_at,
                (SELECT m.text FROM conversation_messages m
                 WHERE m.workspace = c.workspace AND m.conversation_id = c.id AND m.sender = 'customer'
                 ORDER BY m.sequence LIMIT 1)
            FROM conversations c
            WHERE c.workspace = {p(0)} AND c.created_at >= {p(1)} AND c.created_at < {p(2)}
            ORDER BY c.created_at, c.arrival
            LIMIT {p(3)}
            """;

    /// <summary>What <see cref="FirstMessages"/> reads with: the conversations by workspace and creation.</summary>
    public const string CreatedIndex = "CREATE INDEX IF NOT EXISTS ix_conversations_created ON conversations (workspace, created_at)";

    /// <summary>What <see cref="Unanswered"/> reads with: the escalations for want of an answer, by workspace and time.</summary>
    public const string UnansweredIndex =
        "CREATE INDEX IF NOT EXISTS ix_transitions_unanswered ON conversation_transitions (workspace, at) WHERE reason = 'no-answer'";
}
