using System.Data.Common;
using Routing.Contracts;
using Routing.Contracts.Knowledge;

namespace Routing.Ledger;

/// <summary>
/// Turns rows of the columns both ledgers select (<see cref="LedgerColumns"/>) back into records, and times into
/// ticks: SQLite and PostgreSQL store the same values in the same column order, so one reader serves both.
/// </summary>
internal static class LedgerRows
{
    /// <summary>A time as stored: UTC ticks, exact to the tick. It reads back as the same instant, at offset zero.</summary>
    public static long Ticks(DateTimeOffset at) => at.UtcTicks;

    public static object Ticks(DateTimeOffset? at) => at is { } value ? value.UtcTicks : DBNull.Value;

    public static WorkspaceItem<QueueInfo> Queue(DbDataReader row) =>
        new(row.GetString(0), new QueueInfo(row.GetString(1), LedgerJson.Read<QueueDefinition>(row.GetString(2)), Time(row, 3)));

    /// <summary>Columns: data (then, in the current rows, stamp).</summary>
    public static KnowledgeArticle Article(DbDataReader row) => LedgerJson.Read<KnowledgeArticle>(row.GetString(0));

    public static SavedReply Reply(DbDataReader row) => LedgerJson.Read<SavedReply>(row.GetString(0));

    public static CredentialRecord Credential(DbDataReader row) => new(row.GetString(0), row.GetString(1), row.GetString(2), Time(row, 3));

    public static WorkspaceItem<AgentRecord> Agent(DbDataReader row) =>
        new(
            row.GetString(0),
            new AgentRecord(
                AgentId: row.GetString(1),
                Definition: LedgerJson.Read<AgentDefinition>(row.GetString(2)),
                Status: Enum.Parse<AgentStatus>(row.GetString(3)),
                Reason: NullableString(row, 4),
                StatusSince: Time(row, 5),
                IdleSince: Time(row, 6),
                MissedOffersInRow: row.GetInt32(7),
                UpdatedAt: Time(row, 8)
            )
        );

    public static WorkspaceItem<ConversationRecord> Conversation(
        DbDataReader row,
        IReadOnlyList<ConversationTransition> timeline,
        IReadOnlyList<TranscriptMessage> transcript,
        IReadOnlyList<ConversationNote>? notes = null
    ) =>
        new(
            row.GetString(0),
            new ConversationRecord(
                ConversationId: row.GetString(1),
                State: Enum.Parse<ConversationState>(row.GetString(2)),
                Channel: row.GetString(3),
                QueueId: row.GetString(4),
                Customer: LedgerJson.Read<Customer>(row.GetString(5)),
                Priority: row.GetInt32(6),
                Skills: LedgerJson.Read<List<SkillRequirementStep>>(row.GetString(7)),
                Attributes: LedgerJson.Read<Dictionary<string, string>>(row.GetString(8)),
                AgentId: NullableString(row, 9),
                CreatedAt: Time(row, 10),
                Arrival: row.GetInt64(11),
                ExcludedAgents: LedgerJson.Read<List<string>>(row.GetString(12)),
                Offers: LedgerJson.Read<List<OfferRecord>>(row.GetString(13)),
                ConnectedAt: NullableTime(row, 14),
                WrapUpEndsAt: NullableTime(row, 15),
                EndedAt: NullableTime(row, 16),
                Disposition: NullableString(row, 17),
                Rating: row.IsDBNull(18) ? null : row.GetInt32(18),
                UpdatedAt: Time(row, 19),
                Timeline: timeline,
                Transcript: transcript,
                RequestHash: NullableString(row, 20),
                WaitingSince: NullableTime(row, 21),
                Notes: notes
            )
        );

    /// <summary>
    /// Joins conversations (read without timelines, in order) with every transition of them (read as conversation id,
    /// then <see cref="LedgerColumns.Transition"/>, by conversation and ordinal) into whole timelines.
    /// </summary>
    public static IReadOnlyList<ConversationRecord> WithTimelines(
        List<ConversationRecord> conversations,
        List<(string ConversationId, ConversationTransition Step)> steps
    )
    {
        var timelines = new Dictionary<string, List<ConversationTransition>>(conversations.Count, StringComparer.Ordinal);
        foreach (var (id, step) in steps)
        {
            if (!timelines.TryGetValue(id, out var timeline))
            {
                timelines[id] = timeline = [];
            }
            timeline.Add(step);
        }
        return conversations.Select(c => c with { Timeline = timelines.GetValueOrDefault(c.ConversationId) ?? [] }).ToList();
    }

    /// <summary>Columns (from <paramref name="first"/> on): state, at, agent_id, queue_id, reason.</summary>
    public static ConversationTransition Transition(DbDataReader row, int first = 0) =>
        new(
            Enum.Parse<ConversationState>(row.GetString(first)),
            Time(row, first + 1),
            NullableString(row, first + 2),
            NullableString(row, first + 3),
            NullableString(row, first + 4)
        );

    /// <summary>Columns: queue_id, created_at, text (see <see cref="LedgerColumns.FirstMessages"/>).</summary>
    public static FirstMessage First(DbDataReader row) => new(row.GetString(0), Time(row, 1), NullableString(row, 2));

    /// <summary>Columns: see <see cref="LedgerColumns.CustomerHistory"/>.</summary>
    public static PastConversation Past(DbDataReader row) =>
        new(
            row.GetString(0),
            Enum.Parse<ConversationState>(row.GetString(1)),
            row.GetString(2),
            row.GetString(3),
            Time(row, 4),
            NullableTime(row, 5),
            NullableString(row, 6),
            NullableString(row, 7),
            row.IsDBNull(8) ? null : Convert.ToInt32(row.GetValue(8), System.Globalization.CultureInfo.InvariantCulture),
            NullableString(row, 9)
        );

    /// <summary>Columns: queue_id, disposition, count (see <see cref="LedgerColumns.Dispositions"/>).</summary>
    public static DispositionCount Disposition(DbDataReader row) =>
        new(row.GetString(0), NullableString(row, 1), Convert.ToInt32(row.GetValue(2), System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Columns: conversation_id, queue_id, at, text (see <see cref="LedgerColumns.Unanswered"/>).</summary>
    public static UnansweredQuestion Unanswered(DbDataReader row) =>
        new(row.GetString(0), NullableString(row, 1) ?? "", Time(row, 2), NullableString(row, 3));

    /// <summary>
    /// Columns: sequence, at, sender, agent_id, text. The <c>agent_id</c> of a bot's message holds the article it gave
    /// (<see cref="Reference"/>).
    /// </summary>
    public static TranscriptMessage Message(DbDataReader row)
    {
        var (sender, reference) = (row.GetString(2), NullableString(row, 3));
        return sender == "bot"
            ? new(row.GetInt64(0), Time(row, 1), sender, null, row.GetString(4), reference)
            : new(row.GetInt64(0), Time(row, 1), sender, reference, row.GetString(4));
    }

    /// <summary>
    /// A row of <c>conversation_messages</c> (columns: sequence, at, sender, agent_id, text) into the transcript or, with a
    /// negative sequence, the notes (docs/supervision.md): note n is kept as -n, its kind as the sender, its author as the
    /// agent id. Rows come in sequence order, so notes come last first: each goes before those already read.
    /// </summary>
    public static void Entry(DbDataReader row, List<TranscriptMessage> transcript, List<ConversationNote> notes)
    {
        var sequence = row.GetInt64(0);
        if (sequence > 0)
        {
            transcript.Add(Message(row));
            return;
        }
        notes.Insert(0, new ConversationNote(-sequence, Time(row, 1), row.GetString(2), NullableString(row, 3) ?? "", row.GetString(4)));
    }

    /// <summary>What a message's <c>agent_id</c> column holds: the agent who wrote it, or the article a bot's message gave.</summary>
    public static string? Reference(TranscriptMessage message) => message.AgentId ?? message.ArticleId;

    private static DateTimeOffset Time(DbDataReader row, int ordinal) => new(row.GetInt64(ordinal), TimeSpan.Zero);

    private static DateTimeOffset? NullableTime(DbDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : Time(row, ordinal);

    private static string? NullableString(DbDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);
}
