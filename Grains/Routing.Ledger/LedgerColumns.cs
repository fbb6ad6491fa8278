namespace Routing.Ledger;

/// <summary>
/// What both ledgers select, in the order <see cref="LedgerRows"/> reads it, and which conversations count as
/// active: the SQL of <c>SqliteSchema</c> and <c>PostgresSchema</c> differs only in dialect.
/// </summary>
internal static class LedgerColumns
{
    /// <summary>The states <see cref="ILedger.ListActiveConversationsAsync"/> returns; the partial indexes repeat it verbatim so the
    /// planner uses them.</summary>
    public const string IsActive = "state IN ('Queued', 'Offered', 'Connected', 'WrapUp')";

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

    public const string Message = "sequence, at, sender, agent_id, text";

    /// <summary>A knowledge article's version (its JSON) and, in the current rows, the change stamp it was saved with.</summary>
    public const string Article = "data, stamp";

    public const string ArticleVersion = "data";
}
