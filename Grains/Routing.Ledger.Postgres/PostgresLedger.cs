using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Routing.Ledger;

/// <summary>
/// The cluster ledger (docs/architecture.md, "The ledger"): the same contract as the embedded <c>SqliteLedger</c> on one PostgreSQL
/// database shared by every silo. Writes are group-committed like the embedded ledger's — all that is pending goes
/// in one transaction, one round trip — and a write's task completes once its transaction has committed. Reads are
/// asynchronous on pooled connections. <see cref="InitializeAsync"/> also creates the tables and queries of Orleans'
/// ADO.NET clustering (<see cref="ClusterSchema"/>), so a silo needs nothing but an empty database.
/// </summary>
public sealed partial class PostgresLedger : GroupCommitLedger, ILedger, ISiloSessions
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _where;
    private volatile WriterFence? _fence;

    public PostgresLedger(string connectionString, int maxBatchSize, ILogger<PostgresLedger> logger)
        : base(maxBatchSize, logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        _where = $"PostgreSQL {settings.Host}:{settings.Port}/{settings.Database}";
    }

    /// <summary>Creates the schema (ledger and cluster membership) if it is missing, and starts the writer. Idempotent, also across
    /// processes.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (Started)
        {
            return;
        }
        await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            // Plain commands: the schema scripts hold several statements each, which a batch command may not.
            foreach (
                var sql in new[]
                {
                    $"SELECT pg_advisory_xact_lock({PostgresSchema.SchemaLock})",
                    PostgresSchema.Create,
                    ClusterSchema.Create,
                    WriterFence.Create,
                    CommitMarks.Create,
                }
            )
            {
                await using var command = new NpgsqlCommand(sql, connection, transaction);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await using (var version = new NpgsqlCommand(PostgresSchema.AddVersion2, connection, transaction))
            {
                if (await version.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    ReportQuarters.Backfill(connection, transaction); // a ledger from before the report totals
                }
            }
            await using (var version = new NpgsqlCommand(PostgresSchema.AddVersion3, connection, transaction))
            {
                if (await version.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    await using var column = new NpgsqlCommand(PostgresSchema.AddRequestHash, connection, transaction);
                    await column.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            await using (var version = new NpgsqlCommand(PostgresSchema.AddVersion4, connection, transaction))
            {
                if (await version.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    await using var tables = new NpgsqlCommand(PostgresSchema.CreateKnowledge, connection, transaction);
                    await tables.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            await using (var version = new NpgsqlCommand(PostgresSchema.AddVersion5, connection, transaction))
            {
                if (await version.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    var measures = ReportQuarters.AddedInVersion5.Select(m =>
                        $"ALTER TABLE report_quarters ADD COLUMN IF NOT EXISTS {m} bigint NOT NULL DEFAULT 0"
                    );
                    foreach (
                        var sql in measures
                            .Prepend(PostgresSchema.AddWaitingSince)
                            .Append(LedgerColumns.UnansweredIndex)
                            .Append(LedgerColumns.CreatedIndex)
                    )
                    {
                        await using var column = new NpgsqlCommand(sql, connection, transaction);
                        await column.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            await using (var version = new NpgsqlCommand(PostgresSchema.AddVersion6, connection, transaction))
            {
                if (await version.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    foreach (var sql in new[] { PostgresSchema.CreateReplies, LedgerColumns.DropActiveIndex, LedgerColumns.ActiveIndex })
                    {
                        await using var command = new NpgsqlCommand(sql, connection, transaction);
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            await using (var version = new NpgsqlCommand(PostgresSchema.AddVersion7, connection, transaction))
            {
                if (await version.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    foreach (var sql in new[] { PostgresSchema.AddCustomerId, LedgerColumns.CustomerIndex })
                    {
                        await using var command = new NpgsqlCommand(sql, connection, transaction);
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            await using var queries = new NpgsqlBatch(connection, transaction);
            foreach (var (key, text) in ClusterSchema.Queries)
            {
                queries.BatchCommands.Add(
                    new NpgsqlBatchCommand(ClusterSchema.UpsertQuery)
                    {
                        Parameters =
                        {
                            new() { Value = key },
                            new() { Value = text },
                        },
                    }
                );
            }
            await queries.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        StartWriter(() => new PostgresWriter(_dataSource, () => _fence), _where);
    }

    /// <summary>
    /// From now on every batch commits only while <paramref name="fence"/>'s silo is not declared dead: a silo calls
    /// this once it is Active in the cluster, its membership row written.
    /// </summary>
    public void FenceBy(WriterFence fence)
    {
        ArgumentNullException.ThrowIfNull(fence);
        _fence = fence;
    }

    /// <summary>
    /// Ends the write sessions of a silo declared dead (docs/reliability.md, "A silo taken for dead"). A process frozen in
    /// the middle of sending a batch leaves a session that is neither idle nor done: the database keeps it, and the locks
    /// of the rows it wrote, until the process resumes or its connection breaks — and the survivors, writing those
    /// conversations again, would wait as long.
    /// </summary>
    public async Task<int> EndSessionsOfAsync(string address, int port, int generation, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var end = new NpgsqlCommand(WriterFence.EndSessions, connection)
        {
            Parameters = { new() { Value = new WriterFence("", address, port, generation).SessionName } },
        };
        return Convert.ToInt32(await end.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private protected override ValueTask CloseStorageAsync() => _dataSource.DisposeAsync();
}
