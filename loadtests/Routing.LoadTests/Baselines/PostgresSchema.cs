namespace Routing.LoadTests.Baselines;

/// <summary>
/// The tables and statements of baseline P. Every connection's search path is <see cref="Name"/>, so the SQL
/// names tables without their schema. Each statement that changes a conversation and an agent slot is one
/// statement (data-modifying CTEs), so it is one transaction, and it always locks the conversation row before
/// the agent's rows, the same order as the assignment transaction: no deadlocks.
/// </summary>
internal static class PostgresSchema
{
    public const string Name = "loadtest_p";

    public const string Create = $$"""
        DROP SCHEMA IF EXISTS {{Name}} CASCADE;
        CREATE SCHEMA {{Name}};

        CREATE TABLE agents (
            id      text PRIMARY KEY,
            status  text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'away'))
        );

        -- One row per agent and channel: the slot an assignment locks and counts. idle_since is when the agent
        -- last finished a conversation on this channel (longest idle per channel, as many ACDs count it), so
        -- that one index walks the free slots of a channel longest-idle first and a completion locks one row.
        --
        -- Only the upper bound is a CHECK: PostgreSQL checks constraints on the row version the statement's
        -- snapshot saw before it finds that row updated concurrently and re-reads it, so "in_use >= 0" would
        -- fail falsely when a slot is freed while a worker's offer on it commits. Increments are always made
        -- under the worker's row lock, on the current version, so the upper bound is exact; the end-of-run
        -- check catches the rest.
        CREATE TABLE agent_channels (
            agent_id    text NOT NULL REFERENCES agents,
            channel     text NOT NULL,
            capacity    int  NOT NULL,
            in_use      int  NOT NULL DEFAULT 0,
            idle_since  timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (agent_id, channel),
            CHECK (in_use <= capacity)
        );

        -- The free slots of each channel, longest idle first: small when agents are busy, and its first
        -- entries serve when they are not.
        CREATE INDEX agent_channels_free ON agent_channels (channel, idle_since, agent_id) WHERE in_use < capacity;

        CREATE TABLE agent_queues (
            queue_id  text NOT NULL,
            agent_id  text NOT NULL REFERENCES agents,
            rank      int  NOT NULL,
            PRIMARY KEY (queue_id, agent_id)
        );

        CREATE TABLE conversations (
            id          text PRIMARY KEY,
            queue_id    text NOT NULL,
            channel     text NOT NULL,
            priority    int  NOT NULL,
            created_at  timestamptz NOT NULL DEFAULT now(),
            state       text NOT NULL DEFAULT 'waiting'
                        CHECK (state IN ('waiting', 'offered', 'connected', 'done', 'abandoned')),
            agent_id    text REFERENCES agents,
            offered_at  timestamptz,
            CHECK (state <> 'waiting' OR agent_id IS NULL),
            CHECK (state NOT IN ('offered', 'connected') OR agent_id IS NOT NULL)
        );

        -- The waiting line of each queue and channel, in the order conversations are served; small, because
        -- rows leave it when they are offered.
        CREATE INDEX conversations_waiting ON conversations (queue_id, channel, priority DESC, created_at, id)
            WHERE state = 'waiting';

        -- Agents an offer was declined by: never offered that conversation again.
        CREATE TABLE declined (
            conversation_id  text NOT NULL,
            agent_id         text NOT NULL,
            PRIMARY KEY (conversation_id, agent_id)
        );
        """;

    /// <summary>Run as one batch: $1 agent ids.</summary>
    public const string InsertAgents = "INSERT INTO agents (id) SELECT unnest($1::text[])";

    /// <summary>$1, $2, $3: parallel arrays of agent id, queue, rank.</summary>
    public const string InsertMemberships = """
        INSERT INTO agent_queues (agent_id, queue_id, rank) SELECT * FROM unnest($1::text[], $2::text[], $3::int[])
        """;

    /// <summary>$1, $2, $3: parallel arrays of agent id, channel, capacity.</summary>
    public const string InsertSlots = """
        INSERT INTO agent_channels (agent_id, channel, capacity) SELECT * FROM unnest($1::text[], $2::text[], $3::int[])
        """;

    public const string Analyze = "ANALYZE agents, agent_queues, agent_channels";

    /// <summary>$1 id, $2 queue, $3 channel, $4 priority.</summary>
    public const string InsertConversation = """
        INSERT INTO conversations (id, queue_id, channel, priority) VALUES ($1, $2, $3, $4)
        """;

    /// <summary>
    /// The heads of the waiting lines ($1 queues and $2 channels, parallel arrays: every queue with every
    /// channel): the first two of each line that no other worker holds, all in serving order, so the first row
    /// is the global head (highest priority, then oldest). Trying the heads of the other lines when that one
    /// has no free agent keeps one saturated line from blocking all the others; two per line, and whether an
    /// agent declined each, so that a head declined by the only free agent does not hold back the one behind it.
    /// </summary>
    public const string Heads = """
        SELECT c.id, c.queue_id, c.channel, c.declined
        FROM unnest($1::text[], $2::text[]) AS line (queue_id, channel)
        CROSS JOIN LATERAL (
            SELECT w.id, w.queue_id, w.channel, w.priority, w.created_at,
                   EXISTS (SELECT 1 FROM declined d WHERE d.conversation_id = w.id) AS declined
            FROM conversations w
            WHERE w.state = 'waiting' AND w.queue_id = line.queue_id AND w.channel = line.channel
            ORDER BY w.priority DESC, w.created_at, w.id
            LIMIT 2
            FOR UPDATE SKIP LOCKED
        ) c
        ORDER BY c.priority DESC, c.created_at, c.id
        """;

    /// <summary>
    /// The longest-idle available agent serving queue $2 with a free $3 slot who has not declined conversation
    /// $1, its slot locked; agents another worker is assigning are skipped.
    /// </summary>
    public const string FreeAgent = """
        SELECT s.agent_id
        FROM agent_channels s
        JOIN agent_queues q ON q.agent_id = s.agent_id AND q.queue_id = $2
        JOIN agents a ON a.id = s.agent_id
        WHERE s.channel = $3
          AND s.in_use < s.capacity
          AND a.status = 'available'
          AND NOT EXISTS (SELECT 1 FROM declined d WHERE d.conversation_id = $1 AND d.agent_id = s.agent_id)
        ORDER BY s.idle_since, s.agent_id
        LIMIT 1
        FOR UPDATE OF s SKIP LOCKED
        """;

    /// <summary>$1 conversation (locked, waiting), $2 agent (its slot locked): one row when offered.</summary>
    public const string Offer = """
        WITH c AS (
            UPDATE conversations SET state = 'offered', agent_id = $2, offered_at = now()
            WHERE id = $1 AND state = 'waiting'
            RETURNING channel)
        UPDATE agent_channels s SET in_use = s.in_use + 1
        FROM c WHERE s.agent_id = $2 AND s.channel = c.channel
        """;

    /// <summary>$1 conversation, $2 agent.</summary>
    public const string Accept = """
        UPDATE conversations SET state = 'connected' WHERE id = $1 AND agent_id = $2 AND state = 'offered'
        """;

    /// <summary>$1 conversation, $2 agent: back in line at its old place, never to that agent again.</summary>
    public const string Decline = """
        WITH c AS (
            UPDATE conversations SET state = 'waiting', agent_id = NULL, offered_at = NULL
            WHERE id = $1 AND agent_id = $2 AND state = 'offered'
            RETURNING id, channel),
        d AS (
            INSERT INTO declined (conversation_id, agent_id) SELECT id, $2 FROM c ON CONFLICT DO NOTHING)
        UPDATE agent_channels s SET in_use = s.in_use - 1
        FROM c WHERE s.agent_id = $2 AND s.channel = c.channel
        """;

    /// <summary>$1 conversation, $2 agent: 1 when completed; the agent's slot is freed, idle from now.</summary>
    public const string Complete = """
        WITH c AS (
            UPDATE conversations SET state = 'done'
            WHERE id = $1 AND agent_id = $2 AND state = 'connected'
            RETURNING channel),
        s AS (
            UPDATE agent_channels s SET in_use = s.in_use - 1, idle_since = now()
            FROM c WHERE s.agent_id = $2 AND s.channel = c.channel)
        SELECT count(*) FROM c
        """;

    /// <summary>$1 conversation: 1 when it was waiting or offered (its slot freed).</summary>
    public const string Abandon = """
        WITH c AS (
            UPDATE conversations SET state = 'abandoned'
            WHERE id = $1 AND state IN ('waiting', 'offered')
            RETURNING agent_id, channel),
        s AS (
            UPDATE agent_channels s SET in_use = s.in_use - 1
            FROM c WHERE s.agent_id = c.agent_id AND s.channel = c.channel)
        SELECT count(*) FROM c
        """;

    /// <summary>
    /// The invariant the CHECK constraints cannot hold, over one snapshot: every slot counts exactly the
    /// conversations its agent holds on that channel. (The constraints hold the rest: no slot over its
    /// capacity, known states only, an agent exactly when offered or connected.)
    /// </summary>
    public const string Violations = """
        SELECT format('agent %s counts %s %s in use but holds %s', s.agent_id, s.in_use, s.channel, count(c.id))
        FROM agent_channels s
        LEFT JOIN conversations c ON c.agent_id = s.agent_id AND c.channel = s.channel AND c.state IN ('offered', 'connected')
        GROUP BY s.agent_id, s.channel, s.in_use
        HAVING s.in_use <> count(c.id)
        LIMIT 50
        """;

    public const string Drop = $"DROP SCHEMA IF EXISTS {Name} CASCADE";
}
