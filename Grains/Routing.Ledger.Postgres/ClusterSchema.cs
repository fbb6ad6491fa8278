namespace Routing.Ledger;

/// <summary>
/// Our own DDL for Orleans' ADO.NET clustering provider (<c>Microsoft.Orleans.Clustering.AdoNet</c>, invariant
/// <c>Npgsql</c>), which ships no SQL: the tables it needs and the query texts it reads by key from
/// <c>orleansquery</c> at start-up, written to what the 10.4 provider binds and reads.
/// <list type="bullet">
/// <item>The provider runs <c>SELECT QueryKey, QueryText FROM OrleansQuery</c> unquoted, so the table is lower case.</item>
/// <item>It never opens a transaction: every write below is one statement, its version check, version bump and row
/// change all or nothing. Concurrent writers serialise on the version row's lock; a stale <c>@Version</c> answers 0.</item>
/// <item>Writes answer one row with one column (the provider reads the first row as a boolean), even when they did nothing.</item>
/// <item>Times are <c>timestamptz</c>: the provider sends and expects UTC instants.</item>
/// <item><c>SuspectTimes</c> is stored verbatim; the per-row cleanup compares it with NULL and '' as equal.</item>
/// <item>Heartbeats and cleanups never touch the version.</item>
/// </list>
/// The query rows are upserted on every start, so a corrected text reaches an existing database.
/// </summary>
internal static class ClusterSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS orleansquery (
            querykey varchar(64) NOT NULL PRIMARY KEY,
            querytext text NOT NULL);

        CREATE TABLE IF NOT EXISTS orleans_membership_version (
            deployment_id text NOT NULL PRIMARY KEY,
            version integer NOT NULL DEFAULT 0,
            changed_at timestamptz NOT NULL DEFAULT now());

        CREATE TABLE IF NOT EXISTS orleans_membership (
            deployment_id text NOT NULL REFERENCES orleans_membership_version (deployment_id),
            address text NOT NULL,
            port integer NOT NULL,
            generation integer NOT NULL,
            silo_name text NOT NULL,
            host_name text NOT NULL,
            status integer NOT NULL,
            proxy_port integer NOT NULL DEFAULT 0,
            suspect_times text,
            start_time timestamptz NOT NULL,
            i_am_alive_time timestamptz NOT NULL,
            PRIMARY KEY (deployment_id, address, port, generation));
        """;

    private const string MemberColumns = """
        v.deployment_id AS DeploymentId, m.address AS Address, m.port AS Port, m.generation AS Generation,
        m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
        m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime, v.version AS Version
        """;

    private const string ThisSilo = "deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation";

    /// <summary>The query texts by the keys the provider looks them up by (the spelling of each key is the provider's).</summary>
    public static readonly IReadOnlyDictionary<string, string> Queries = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Silos starting together on an empty database: the first creates the row, the others find it.
        ["InsertMembershipVersionKey"] = """
            WITH created AS (
                INSERT INTO orleans_membership_version (deployment_id) VALUES (@DeploymentId)
                ON CONFLICT (deployment_id) DO NOTHING RETURNING 1)
            SELECT count(*)::integer FROM created
            """,
        ["InsertMembershipKey"] = $"""
            WITH bumped AS (
                UPDATE orleans_membership_version SET version = version + 1, changed_at = now()
                WHERE deployment_id = @DeploymentId AND version = @Version
                  AND NOT EXISTS (SELECT 1 FROM orleans_membership WHERE {ThisSilo})
                RETURNING deployment_id),
            inserted AS (
                INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status,
                    proxy_port, suspect_times, start_time, i_am_alive_time)
                SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status,
                    @ProxyPort, NULL, @StartTime, @IAmAliveTime
                FROM bumped
                RETURNING 1)
            SELECT count(*)::integer FROM inserted
            """,
        ["UpdateMembershipKey"] = $"""
            WITH bumped AS (
                UPDATE orleans_membership_version SET version = version + 1, changed_at = now()
                WHERE deployment_id = @DeploymentId AND version = @Version
                  AND EXISTS (SELECT 1 FROM orleans_membership WHERE {ThisSilo})
                RETURNING deployment_id),
            updated AS (
                UPDATE orleans_membership m
                SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = GREATEST(m.i_am_alive_time, @IAmAliveTime)
                FROM bumped
                WHERE m.deployment_id = bumped.deployment_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
                RETURNING 1)
            SELECT count(*)::integer FROM updated
            """,
        ["UpdateIAmAlivetimeKey"] = $"""
            UPDATE orleans_membership SET i_am_alive_time = GREATEST(i_am_alive_time, @IAmAliveTime) WHERE {ThisSilo}
            """,
        ["MembershipReadAllKey"] = $"""
            SELECT {MemberColumns}
            FROM orleans_membership_version v
            LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
            WHERE v.deployment_id = @DeploymentId
            """,
        ["MembershipReadRowKey"] = $"""
            SELECT {MemberColumns}
            FROM orleans_membership_version v
            LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
                AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
            WHERE v.deployment_id = @DeploymentId
            """,
        ["GatewaysQueryKey"] = """
            SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
            FROM orleans_membership
            WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
            """,
        ["DeleteMembershipTableEntriesKey"] = """
            DELETE FROM orleans_membership WHERE deployment_id = @DeploymentId;
            DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId
            """,
        // Required by the provider's start-up check; it runs the per-row query below instead when that one exists.
        ["CleanupDefunctSiloEntriesKey"] = """
            DELETE FROM orleans_membership
            WHERE deployment_id = @DeploymentId AND status = 6 AND i_am_alive_time < @IAmAliveTime
            """,
        // Compare and delete: only if the dead row is still exactly as the provider read it.
        ["CleanupDefunctSiloEntryKey"] = $"""
            DELETE FROM orleans_membership
            WHERE {ThisSilo} AND status = 6 AND start_time = @StartTime AND i_am_alive_time = @IAmAliveTime
              AND COALESCE(suspect_times, '') = COALESCE(@SuspectTimes, '')
            """,
    };

    public const string UpsertQuery = """
        INSERT INTO orleansquery (querykey, querytext) VALUES ($1, $2)
        ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext
        """;
}
