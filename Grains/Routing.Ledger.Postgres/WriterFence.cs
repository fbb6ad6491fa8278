namespace Routing.Ledger;

/// <summary>
/// The membership row (Orleans' ADO.NET clustering, <see cref="ClusterSchema"/>) of the silo a cluster ledger writes
/// for. Once the ledger is fenced by it (<see cref="PostgresLedger.FenceBy"/>), each batch ends by taking a share lock on
/// that row and commits only if the row says the silo is not Dead. A silo frozen until the others declared it dead,
/// then resumed with its activations stale, writes nothing more; and a batch holding the lock when the others declare
/// it dead commits before that declaration, so before they bring back from the ledger what the silo held
/// (docs/reliability.md, "The fault table", R3).
/// </summary>
public sealed record WriterFence(string DeploymentId, string Address, int Port, int Generation)
{
    /// <summary>The check, created with the schema (idempotent).</summary>
    internal const string Create = """
        CREATE OR REPLACE FUNCTION routing_writer_alive(deployment text, silo_address text, silo_port integer, silo_generation integer)
        RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            -- FOR SHARE: declaring the silo dead updates its row, so it waits for the batch, and the batch for it.
            PERFORM 1 FROM orleans_membership
            WHERE deployment_id = deployment AND address = silo_address AND port = silo_port
              AND generation = silo_generation AND status <> 6
            FOR SHARE;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'silo %:% (generation %) is declared dead: the ledger takes no more of its writes',
                    silo_address, silo_port, silo_generation;
            END IF;
        END $$;
        """;

    /// <summary>The last statement of every fenced batch.</summary>
    internal const string Check = "SELECT routing_writer_alive($1, $2, $3, $4)";

    /// <summary>Names the writer's session after its silo (<see cref="SessionName"/>), for the rest of the session.</summary>
    internal const string NameSession = "SELECT set_config('application_name', $1, false)";

    /// <summary>
    /// Ends the sessions named after a silo, but the caller's: those of a silo declared dead, which may hold locks for as
    /// long as its process stays frozen. Answers how many were ended.
    /// </summary>
    internal const string EndSessions =
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()";

    /// <summary>The name of the writer's session: the silo's address, port and generation (at most 63 characters kept).</summary>
    public string SessionName => $"routing {Address}:{Port}:{Generation}";
}
