namespace Routing.Ledger;

/// <summary>
/// The SQL of the embedded ledger. Rows are keyed by (workspace, id); times are UTC ticks (INTEGER) so they sort
/// and round-trip to the tick; enums are stored by name; nested values (customer, skills, attributes, offers…)
/// are JSON. Timelines and transcripts are append-only tables read in order.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Settings of the single write connection: WAL so readers run beside it, fsync on every commit.</summary>
    public const string WriterPragmas = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        PRAGMA busy_timeout = 5000;
        """;

    public static readonly string Create = $"""
        CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER NOT NULL PRIMARY KEY);
        INSERT INTO schema_version (version) VALUES (1) ON CONFLICT (version) DO NOTHING;

        CREATE TABLE IF NOT EXISTS credentials (
            workspace TEXT NOT NULL,
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            data TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (workspace, kind, id));

        CREATE TABLE IF NOT EXISTS queues (
            workspace TEXT NOT NULL,
            id TEXT NOT NULL,
            definition TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (workspace, id));

        CREATE TABLE IF NOT EXISTS agents (
            workspace TEXT NOT NULL,
            id TEXT NOT NULL,
            definition TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT,
            status_since INTEGER NOT NULL,
            idle_since INTEGER NOT NULL,
            missed_offers INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (workspace, id));

        CREATE TABLE IF NOT EXISTS conversations (
            workspace TEXT NOT NULL,
            id TEXT NOT NULL,
            state TEXT NOT NULL,
            channel TEXT NOT NULL,
            queue_id TEXT NOT NULL,
            customer TEXT NOT NULL,
            priority INTEGER NOT NULL,
            skills TEXT NOT NULL,
            attributes TEXT NOT NULL,
            agent_id TEXT,
            created_at INTEGER NOT NULL,
            arrival INTEGER NOT NULL,
            excluded_agents TEXT NOT NULL,
            offers TEXT NOT NULL,
            connected_at INTEGER,
            wrap_up_ends_at INTEGER,
            ended_at INTEGER,
            disposition TEXT,
            rating INTEGER,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (workspace, id));
        -- Only the indexes the reads need: every write of a conversation maintains each of them, and the writer is
        -- on the routing hot path. Listing every workspace's active conversations (start-up recovery) scans.
        {LedgerColumns.ActiveIndex};
        CREATE INDEX IF NOT EXISTS ix_conversations_agent
            ON conversations (workspace, agent_id, state) WHERE agent_id IS NOT NULL;

        CREATE TABLE IF NOT EXISTS conversation_transitions (
            workspace TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            ordinal INTEGER NOT NULL,
            state TEXT NOT NULL,
            at INTEGER NOT NULL,
            agent_id TEXT,
            queue_id TEXT,
            reason TEXT,
            PRIMARY KEY (workspace, conversation_id, ordinal));

        -- The transcript, sequence 1, 2, …, and the conversation's internal notes as -1, -2, … (docs/supervision.md).
        CREATE TABLE IF NOT EXISTS conversation_messages (
            workspace TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            at INTEGER NOT NULL,
            sender TEXT NOT NULL,
            agent_id TEXT,
            text TEXT NOT NULL,
            PRIMARY KEY (workspace, conversation_id, sequence));

        {ReportQuarters.Table("INTEGER", "TEXT", " WITHOUT ROWID")}
        """;

    public const string UpsertQueue = """
        INSERT INTO queues (workspace, id, definition, updated_at)
        VALUES ($workspace, $id, $definition, $updated_at)
        ON CONFLICT (workspace, id) DO UPDATE SET
            definition = excluded.definition, updated_at = excluded.updated_at
        """;

    public const string UpsertAgent = """
        INSERT INTO agents (workspace, id, definition, status, reason, status_since, idle_since, missed_offers, updated_at)
        VALUES ($workspace, $id, $definition, $status, $reason, $status_since, $idle_since, $missed_offers, $updated_at)
        ON CONFLICT (workspace, id) DO UPDATE SET
            definition = excluded.definition, status = excluded.status, reason = excluded.reason,
            status_since = excluded.status_since, idle_since = excluded.idle_since,
            missed_offers = excluded.missed_offers, updated_at = excluded.updated_at
        """;

    public const string UpsertConversation = """
        INSERT INTO conversations (workspace, id, state, channel, queue_id, customer, priority, skills, attributes,
            agent_id, created_at, arrival, excluded_agents, offers, connected_at, wrap_up_ends_at, ended_at,
            disposition, rating, updated_at, request_hash, waiting_since, customer_id)
        VALUES ($workspace, $id, $state, $channel, $queue_id, $customer, $priority, $skills, $attributes,
            $agent_id, $created_at, $arrival, $excluded_agents, $offers, $connected_at, $wrap_up_ends_at, $ended_at,
            $disposition, $rating, $updated_at, $request_hash, $waiting_since, $customer_id)
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

    /// <summary>Appends after the conversation's last transition; only the single writer runs it, so the next ordinal cannot
    /// race.</summary>
    public const string AppendTransition = """
        INSERT INTO conversation_transitions (workspace, conversation_id, ordinal, state, at, agent_id, queue_id, reason)
        VALUES ($workspace, $conversation_id,
            (SELECT COALESCE(MAX(ordinal), 0) + 1 FROM conversation_transitions
             WHERE workspace = $workspace AND conversation_id = $conversation_id),
            $state, $at, $agent_id, $queue_id, $reason)
        """;

    /// <summary>A message already stored under its sequence (a retried write) is left as it is.</summary>
    public const string AppendMessage = """
        INSERT INTO conversation_messages (workspace, conversation_id, sequence, at, sender, agent_id, text)
        VALUES ($workspace, $conversation_id, $sequence, $at, $sender, $agent_id, $text)
        ON CONFLICT (workspace, conversation_id, sequence) DO NOTHING
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

    public const string AddWaitingSince = "ALTER TABLE conversations ADD COLUMN waiting_since INTEGER";

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
        ALTER TABLE conversations ADD COLUMN customer_id TEXT;
        UPDATE conversations SET customer_id = json_extract(customer, '$.id');
        """;

    public const string CreateReplies = """
        CREATE TABLE IF NOT EXISTS saved_replies (
            workspace TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            reply_id TEXT NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (workspace, agent_id, reply_id));
        """;

    public const string UpsertReply = """
        INSERT INTO saved_replies (workspace, agent_id, reply_id, data) VALUES ($workspace, $agent_id, $reply_id, $data)
        ON CONFLICT (workspace, agent_id, reply_id) DO UPDATE SET data = excluded.data
        """;

    public const string DeleteReply =
        "DELETE FROM saved_replies WHERE workspace = $workspace AND agent_id = $agent_id AND reply_id = $reply_id";

    public const string SelectReplies =
        $"SELECT {LedgerColumns.Reply} FROM saved_replies WHERE workspace = $workspace AND agent_id = $id ORDER BY reply_id";

    /// <summary>
    /// Version 4 adds the knowledge base (docs/self-service.md): each article's current row, with the change stamp it was
    /// saved with, and every version it ever had. The start that inserts the version creates the tables, once.
    /// </summary>
    public const string AddVersion4 = "INSERT INTO schema_version (version) VALUES (4) ON CONFLICT (version) DO NOTHING";

    public const string CreateKnowledge = """
        CREATE TABLE IF NOT EXISTS knowledge_articles (
            workspace TEXT NOT NULL,
            article_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            stamp INTEGER NOT NULL,
            deleted INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (workspace, article_id));
        -- What changed since a stamp, and the workspace's next stamp.
        CREATE INDEX IF NOT EXISTS ix_knowledge_articles_stamp ON knowledge_articles (workspace, stamp);

        CREATE TABLE IF NOT EXISTS knowledge_article_versions (
            workspace TEXT NOT NULL,
            article_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (workspace, article_id, version));
        """;

    /// <summary>Answers 0 rows changed when the version is already stored: the writer then refuses the save.</summary>
    public const string AppendArticleVersion = """
        INSERT INTO knowledge_article_versions (workspace, article_id, version, data)
        VALUES ($workspace, $article_id, $version, $data)
        ON CONFLICT (workspace, article_id, version) DO NOTHING
        """;

    /// <summary>
    /// The workspace's next change stamp is one more than its highest: a saved row only ever takes a higher stamp than the
    /// one it replaces, so the highest never goes, and the single writer computes it inside its transaction.
    /// </summary>
    public const string UpsertArticle = """
        INSERT INTO knowledge_articles (workspace, article_id, version, stamp, deleted, data)
        VALUES ($workspace, $article_id, $version,
            (SELECT COALESCE(MAX(stamp), 0) + 1 FROM knowledge_articles WHERE workspace = $workspace),
            $deleted, $data)
        ON CONFLICT (workspace, article_id) DO UPDATE SET
            version = excluded.version, stamp = excluded.stamp, deleted = excluded.deleted, data = excluded.data
        """;

    public const string SelectArticle =
        $"SELECT {LedgerColumns.Article} FROM knowledge_articles WHERE workspace = $workspace AND article_id = $id AND deleted = 0";

    public const string SelectArticles =
        $"SELECT {LedgerColumns.Article} FROM knowledge_articles WHERE workspace = $workspace AND deleted = 0 ORDER BY article_id";

    public const string SelectArticleHistory =
        $"SELECT {LedgerColumns.ArticleVersion} FROM knowledge_article_versions WHERE workspace = $workspace AND article_id = $id "
        + "ORDER BY version";

    public const string SelectArticlesChangedSince =
        $"SELECT {LedgerColumns.Article} FROM knowledge_articles WHERE workspace = $workspace AND stamp > $after ORDER BY stamp";

    public const string SelectLastTransition =
        $"SELECT {LedgerColumns.Transition} FROM conversation_transitions WHERE workspace = $workspace AND conversation_id = $id ORDER "
        + $"BY ordinal DESC LIMIT 1";

    public const string SelectRating = "SELECT rating FROM conversations WHERE workspace = $workspace AND id = $id";

    public const string SelectQueueDefinition = "SELECT definition FROM queues WHERE workspace = $workspace AND id = $id";

    public const string SelectQueue = $"SELECT {LedgerColumns.Queue} FROM queues WHERE workspace = $workspace AND id = $id";
    public const string SelectQueues = $"SELECT {LedgerColumns.Queue} FROM queues ORDER BY id, workspace";
    public const string UpsertCredential = """
        INSERT INTO credentials (workspace, kind, id, data, updated_at) VALUES ($workspace, $kind, $id, $data, $updated_at)
        ON CONFLICT (workspace, kind, id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at
        """;

    public const string SelectCredential =
        $"SELECT {LedgerColumns.Credential} FROM credentials WHERE workspace = $workspace AND kind = $kind AND id = $id";

    public const string SelectCredentials =
        $"SELECT {LedgerColumns.Credential} FROM credentials WHERE workspace = $workspace AND kind = $kind ORDER BY id";

    public const string SelectWorkspaceQueues = $"SELECT {LedgerColumns.Queue} FROM queues WHERE workspace = $workspace ORDER BY id";

    public const string SelectAgent = $"SELECT {LedgerColumns.Agent} FROM agents WHERE workspace = $workspace AND id = $id";
    public const string SelectAgents = $"SELECT {LedgerColumns.Agent} FROM agents ORDER BY id, workspace";
    public const string SelectWorkspaceAgents = $"SELECT {LedgerColumns.Agent} FROM agents WHERE workspace = $workspace ORDER BY id";

    /// <summary>Three result sets — the row, its timeline, its transcript — read in one snapshot.</summary>
    public const string SelectWorkspaceConversations =
        $"SELECT {LedgerColumns.Conversation} FROM conversations WHERE workspace = $workspace ORDER BY created_at, arrival";

    public const string SelectWorkspaceTimelines =
        $"SELECT conversation_id, {LedgerColumns.Transition} FROM conversation_transitions WHERE workspace = $workspace ORDER BY "
        + $"conversation_id, ordinal";

    public const string SelectConversation = $"""
        SELECT {LedgerColumns.Conversation} FROM conversations WHERE workspace = $workspace AND id = $id;
        SELECT {LedgerColumns.Transition} FROM conversation_transitions
            WHERE workspace = $workspace AND conversation_id = $id ORDER BY ordinal;
        SELECT {LedgerColumns.Message} FROM conversation_messages
            WHERE workspace = $workspace AND conversation_id = $id ORDER BY sequence;
        """;

    public const string SelectActiveConversations =
        $"SELECT {LedgerColumns.Conversation} FROM conversations WHERE {LedgerColumns.IsActive} "
        + "ORDER BY created_at, arrival, workspace, id";
    public const string SelectAgentConversations =
        $"SELECT {LedgerColumns.Conversation} FROM conversations WHERE workspace = $workspace AND agent_id = $id AND "
        + $"{LedgerColumns.IsHeld} ORDER BY created_at, arrival, id";
    public const string SelectWorkspaceActiveConversations =
        $"SELECT {LedgerColumns.Conversation} FROM conversations WHERE workspace = $workspace AND {LedgerColumns.IsActive} ORDER BY "
        + $"created_at, arrival, id";
}
