namespace Routing.Ledger;

/// <summary>
/// The SQL of the cluster ledger: the same tables as the embedded one (<c>SqliteSchema</c>), times as UTC
/// ticks (bigint) so both ledgers read back the same instants to the tick, enums by name, nested values as JSON
/// text. <see cref="Create"/> runs in one transaction under an advisory lock, so silos starting at the same moment on
/// an empty database create it one after the other; every statement is idempotent.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Serialises schema creation across processes (an arbitrary constant: "routing" in ASCII).</summary>
    public const long SchemaLock = 0x726f7574696e67;

    public static readonly string Create = $"""
        CREATE TABLE IF NOT EXISTS schema_version (
            version integer NOT NULL PRIMARY KEY);
        INSERT INTO schema_version (version) VALUES (1) ON CONFLICT (version) DO NOTHING;

        CREATE TABLE IF NOT EXISTS credentials (
            workspace text NOT NULL,
            kind text NOT NULL,
            id text NOT NULL,
            data text NOT NULL,
            updated_at bigint NOT NULL,
            PRIMARY KEY (workspace, kind, id));

        CREATE TABLE IF NOT EXISTS queues (
            workspace text NOT NULL,
            id text NOT NULL,
            definition text NOT NULL,
            updated_at bigint NOT NULL,
            PRIMARY KEY (workspace, id));

        CREATE TABLE IF NOT EXISTS agents (
            workspace text NOT NULL,
            id text NOT NULL,
            definition text NOT NULL,
            status text NOT NULL,
            reason text,
            status_since bigint NOT NULL,
            idle_since bigint NOT NULL,
            missed_offers integer NOT NULL,
            updated_at bigint NOT NULL,
            PRIMARY KEY (workspace, id));

        CREATE TABLE IF NOT EXISTS conversations (
            workspace text NOT NULL,
            id text NOT NULL,
            state text NOT NULL,
            channel text NOT NULL,
            queue_id text NOT NULL,
            customer text NOT NULL,
            priority integer NOT NULL,
            skills text NOT NULL,
            attributes text NOT NULL,
            agent_id text,
            created_at bigint NOT NULL,
            arrival bigint NOT NULL,
            excluded_agents text NOT NULL,
            offers text NOT NULL,
            connected_at bigint,
            wrap_up_ends_at bigint,
            ended_at bigint,
            disposition text,
            rating integer,
            updated_at bigint NOT NULL,
            PRIMARY KEY (workspace, id));
        {LedgerColumns.ActiveIndex};
        CREATE INDEX IF NOT EXISTS ix_conversations_agent
            ON conversations (workspace, agent_id, state) WHERE agent_id IS NOT NULL;

        CREATE TABLE IF NOT EXISTS conversation_transitions (
            workspace text NOT NULL,
            conversation_id text NOT NULL,
            ordinal integer NOT NULL,
            state text NOT NULL,
            at bigint NOT NULL,
            agent_id text,
            queue_id text,
            reason text,
            PRIMARY KEY (workspace, conversation_id, ordinal));

        -- The transcript, sequence 1, 2, …, and the conversation's internal notes as -1, -2, … (docs/supervision.md).
        CREATE TABLE IF NOT EXISTS conversation_messages (
            workspace text NOT NULL,
            conversation_id text NOT NULL,
            sequence bigint NOT NULL,
            at bigint NOT NULL,
            sender text NOT NULL,
            agent_id text,
            text text NOT NULL,
            PRIMARY KEY (workspace, conversation_id, sequence));

        {ReportQuarters.Table("bigint", "text")}
        """;

    /// <summary>Version 2 adds the report totals; inserted only once, by the start that must fill them.</summary>
    public const string AddVersion2 = "INSERT INTO schema_version (version) VALUES (2) ON CONFLICT (version) DO NOTHING";

    /// <summary>
    /// Version 3 adds the fingerprint of an idempotent create's request (<see cref="ConversationRecord.RequestHash"/>);
    /// the start that inserts the version adds the column, once.
    /// </summary>
    public const string AddVersion3 = "INSERT INTO schema_version (version) VALUES (3) ON CONFLICT (version) DO NOTHING";

    public const string AddRequestHash = "ALTER TABLE conversations ADD COLUMN request_hash TEXT";

    /// <summary>
    /// Version 5 adds the self-service step (docs/self-service.md): when a conversation began to wait for a person
    /// (<see cref="ConversationRecord.WaitingSince"/>), and the report totals of the step. The start that inserts the
    /// version adds the columns, once (the totals' columns only where the table was made before them).
    /// </summary>
    public const string AddVersion5 = "INSERT INTO schema_version (version) VALUES (5) ON CONFLICT (version) DO NOTHING";

    public const string AddWaitingSince = "ALTER TABLE conversations ADD COLUMN waiting_since bigint";

    /// <summary>
    /// Version 6 adds the agents' saved replies (docs/self-service.md, "Saved replies") and the self-service step to the
    /// active conversations (<see cref="LedgerColumns.ActiveIndex"/>). The start that inserts it creates the table and makes
    /// the index again, once.
    /// </summary>
    public const string AddVersion6 = "INSERT INTO schema_version (version) VALUES (6) ON CONFLICT (version) DO NOTHING";

    /// <summary>
    /// Version 7 adds each conversation's customer id as a column (<see cref="LedgerColumns.CustomerIndex"/>); the start
    /// that inserts it adds the column, fills it from the customer's JSON and makes the index, once.
    /// </summary>
    public const string AddVersion7 = "INSERT INTO schema_version (version) VALUES (7) ON CONFLICT (version) DO NOTHING";

    public const string AddCustomerId = """
        ALTER TABLE conversations ADD COLUMN IF NOT EXISTS customer_id text;
        UPDATE conversations SET customer_id = customer::jsonb ->> 'id';
        """;

    public const string CreateReplies = """
        CREATE TABLE IF NOT EXISTS saved_replies (
            workspace text NOT NULL,
            agent_id text NOT NULL,
            reply_id text NOT NULL,
            data text NOT NULL,
            PRIMARY KEY (workspace, agent_id, reply_id));
        """;

    public const string UpsertReply = """
        INSERT INTO saved_replies (workspace, agent_id, reply_id, data) VALUES ($1, $2, $3, $4)
        ON CONFLICT (workspace, agent_id, reply_id) DO UPDATE SET data = excluded.data
        """;

    public const string DeleteReply = "DELETE FROM saved_replies WHERE workspace = $1 AND agent_id = $2 AND reply_id = $3";

    public const string SelectReplies =
        $"SELECT {LedgerColumns.Reply} FROM saved_replies WHERE workspace = $1 AND agent_id = $2 ORDER BY reply_id COLLATE \"C\"";

    /// <summary>
    /// Version 4 adds the knowledge base (docs/self-service.md): each article's current row, with the change stamp it was
    /// saved with, and every version it ever had. The start that inserts the version creates the tables, once. The
    /// stamps come from one sequence, owned by the column, so they only grow in every workspace.
    /// </summary>
    public const string AddVersion4 = "INSERT INTO schema_version (version) VALUES (4) ON CONFLICT (version) DO NOTHING";

    public const string CreateKnowledge = """
        CREATE TABLE IF NOT EXISTS knowledge_articles (
            workspace text NOT NULL,
            article_id text NOT NULL,
            version bigint NOT NULL,
            stamp bigint NOT NULL,
            deleted boolean NOT NULL,
            data text NOT NULL,
            PRIMARY KEY (workspace, article_id));
        CREATE SEQUENCE IF NOT EXISTS knowledge_stamp OWNED BY knowledge_articles.stamp;
        CREATE INDEX IF NOT EXISTS ix_knowledge_articles_stamp ON knowledge_articles (workspace, stamp);

        CREATE TABLE IF NOT EXISTS knowledge_article_versions (
            workspace text NOT NULL,
            article_id text NOT NULL,
            version bigint NOT NULL,
            data text NOT NULL,
            PRIMARY KEY (workspace, article_id, version));
        """;

    /// <summary>
    /// Appends the version to the history and, only if it was not there, makes it the current row with the next stamp:
    /// one statement, so it goes in the writer's batch, and it changes no row (the writer then refuses the save) when the
    /// version is already stored.
    /// </summary>
    public const string SaveArticle = """
        WITH appended AS (
            INSERT INTO knowledge_article_versions (workspace, article_id, version, data) VALUES ($1, $2, $3, $5)
            ON CONFLICT (workspace, article_id, version) DO NOTHING
            RETURNING workspace, article_id, version, data)
        INSERT INTO knowledge_articles (workspace, article_id, version, stamp, deleted, data)
        SELECT workspace, article_id, version, nextval('knowledge_stamp'), $4, data FROM appended
        ON CONFLICT (workspace, article_id) DO UPDATE SET
            version = excluded.version, stamp = excluded.stamp, deleted = excluded.deleted, data = excluded.data
        """;

    public const string SelectArticle =
        $"SELECT {LedgerColumns.Article} FROM knowledge_articles WHERE workspace = $1 AND article_id = $2 AND NOT deleted";

    public const string SelectArticles =
        $"SELECT {LedgerColumns.Article} FROM knowledge_articles WHERE workspace = $1 AND NOT deleted ORDER BY article_id COLLATE \"C\"";

    public const string SelectArticleHistory =
        $"SELECT {LedgerColumns.ArticleVersion} FROM knowledge_article_versions WHERE workspace = $1 AND article_id = $2 ORDER BY version";

    public const string SelectArticlesChangedSince =
        $"SELECT {LedgerColumns.Article} FROM knowledge_articles WHERE workspace = $1 AND stamp > $2 ORDER BY stamp";

    public static readonly string UpsertQuarter = ReportQuarters.Upsert(i =>
        "$" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)
    );

    public const string SelectLastTransition =
        $"SELECT {LedgerColumns.Transition} FROM conversation_transitions WHERE workspace = $1 AND conversation_id = $2 ORDER BY "
        + $"ordinal DESC LIMIT 1";

    public const string SelectRating = "SELECT rating FROM conversations WHERE workspace = $1 AND id = $2";

    public const string SelectQueueDefinition = "SELECT definition FROM queues WHERE workspace = $1 AND id = $2";

    public const string UpsertQueue = """
        INSERT INTO queues (workspace, id, definition, updated_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (workspace, id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at
        """;

    public const string UpsertAgent = """
        INSERT INTO agents (workspace, id, definition, status, reason, status_since, idle_since, missed_offers, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (workspace, id) DO UPDATE SET
            definition = excluded.definition, status = excluded.status, reason = excluded.reason,
            status_since = excluded.status_since, idle_since = excluded.idle_since,
            missed_offers = excluded.missed_offers, updated_at = excluded.updated_at
        """;

    public const string UpsertConversation = """
        INSERT INTO conversations (workspace, id, state, channel, queue_id, customer, priority, skills, attributes,
            agent_id, created_at, arrival, excluded_agents, offers, connected_at, wrap_up_ends_at, ended_at,
            disposition, rating, updated_at, request_hash, waiting_since, customer_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
        ON CONFLICT (workspace, id) DO UPDATE SET
            state = excluded.state, channel = excluded.channel, queue_id = excluded.queue_id,
            customer = excluded.customer, priority = excluded.priority, skills = excluded.skills,
            attributes = excluded.attributes, agent_id = excluded.agent_id, created_at = excluded.created_at,
            arrival = excluded.arrival, excluded_agents = excluded.excluded_agents, offers = excluded.offers,
            connected_at = excluded.connected_at, wrap_up_ends_at = excluded.wrap_up_ends_at,
            ended_at = excluded.ended_at, disposition = excluded.disposition, rating = excluded.rating,
            updated_at = excluded.updated_at, request_hash = excluded.request_hash,
            waiting_since = excluded.waiting_since
        """;

    /// <summary>
    /// Appends after the conversation's last transition. One conversation is written by one grain activation, so
    /// two writers never append to the same timeline at once.
    /// </summary>
    public const string AppendTransition = """
        INSERT INTO conversation_transitions (workspace, conversation_id, ordinal, state, at, agent_id, queue_id, reason)
        VALUES ($1, $2,
            (SELECT COALESCE(MAX(ordinal), 0) + 1 FROM conversation_transitions WHERE workspace = $1 AND conversation_id = $2),
            $3, $4, $5, $6, $7)
        """;

    public const string AppendMessage = """
        INSERT INTO conversation_messages (workspace, conversation_id, sequence, at, sender, agent_id, text)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (workspace, conversation_id, sequence) DO NOTHING
        """;

    public const string SelectQueue = $"SELECT {LedgerColumns.Queue} FROM queues WHERE workspace = $1 AND id = $2";
    public const string SelectQueues = $"SELECT {LedgerColumns.Queue} FROM queues ORDER BY id COLLATE \"C\", workspace COLLATE \"C\"";
    public const string UpsertCredential = """
        INSERT INTO credentials (workspace, kind, id, data, updated_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (workspace, kind, id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at
        """;

    public const string SelectCredential =
        $"SELECT {LedgerColumns.Credential} FROM credentials WHERE workspace = $1 AND kind = $2 AND id = $3";

    public const string SelectCredentials =
        $"SELECT {LedgerColumns.Credential} FROM credentials WHERE workspace = $1 AND kind = $2 ORDER BY id COLLATE \"C\"";

    public const string SelectWorkspaceQueues = $"SELECT {LedgerColumns.Queue} FROM queues WHERE workspace = $1 ORDER BY id COLLATE \"C\"";

    public const string SelectAgent = $"SELECT {LedgerColumns.Agent} FROM agents WHERE workspace = $1 AND id = $2";
    public const string SelectAgents = $"SELECT {LedgerColumns.Agent} FROM agents ORDER BY id COLLATE \"C\", workspace COLLATE \"C\"";
    public const string SelectWorkspaceAgents = $"SELECT {LedgerColumns.Agent} FROM agents WHERE workspace = $1 ORDER BY id COLLATE \"C\"";

    public const string SelectWorkspaceConversations =
        $"SELECT {LedgerColumns.Conversation} FROM conversations WHERE workspace = $1 ORDER BY created_at, arrival";

    public const string SelectWorkspaceTimelines =
        $"SELECT conversation_id, {LedgerColumns.Transition} FROM conversation_transitions WHERE workspace = $1 ORDER BY "
        + $"conversation_id, ordinal";

    public const string SelectConversation = $"SELECT {LedgerColumns.Conversation} FROM conversations WHERE workspace = $1 AND id = $2";
    public const string SelectTimeline = $"""
        SELECT {LedgerColumns.Transition} FROM conversation_transitions
        WHERE workspace = $1 AND conversation_id = $2 ORDER BY ordinal
        """;
    public const string SelectTranscript = $"""
        SELECT {LedgerColumns.Message} FROM conversation_messages
        WHERE workspace = $1 AND conversation_id = $2 ORDER BY sequence
        """;

    public const string SelectActiveConversations =
        $"SELECT {LedgerColumns.Conversation} FROM conversations WHERE {LedgerColumns.IsActive} ORDER BY created_at, arrival, workspace "
        + $"COLLATE \"C\", id COLLATE \"C\"";
    public const string SelectWorkspaceActiveConversations =
        $"SELECT {LedgerColumns.Conversation} FROM conversations WHERE workspace = $1 AND {LedgerColumns.IsActive} ORDER BY created_at, "
        + $"arrival, id COLLATE \"C\"";
    public const string SelectAgentConversations =
        $"SELECT {LedgerColumns.Conversation} FROM conversations WHERE workspace = $1 AND agent_id = $2 AND {LedgerColumns.IsHeld} "
        + $"ORDER BY created_at, arrival, id COLLATE \"C\"";
}
