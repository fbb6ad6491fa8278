using Microsoft.Extensions.Logging;
using Npgsql;
using Routing.Contracts;

namespace Routing.Ledger;

/// <summary>
/// The cluster ledger (DESIGN §6): the same contract as the embedded <see cref="SqliteLedger"/> on one PostgreSQL
/// database shared by every silo. Writes are group-committed like the embedded ledger's — all that is pending goes
/// in one transaction, one round trip — and a write's task completes once its transaction has committed. Reads are
/// asynchronous on pooled connections. <see cref="InitializeAsync"/> also creates the tables and queries of Orleans'
/// ADO.NET clustering (<see cref="ClusterSchema"/>), so a silo needs nothing but an empty database.
/// </summary>
public sealed partial class PostgresLedger : ILedger, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PostgresLedger> _logger;
    private readonly int _maxBatchSize;
    private readonly Lock _gate = new();
    private volatile GroupCommit? _writes;
    private volatile bool _disposed;
    private readonly string _where;
    private Task? _disposal;

    public PostgresLedger(string connectionString, int maxBatchSize, ILogger<PostgresLedger> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentNullException.ThrowIfNull(logger);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        _where = $"PostgreSQL {settings.Host}:{settings.Port}/{settings.Database}";
        _maxBatchSize = maxBatchSize;
        _logger = logger;
    }

    /// <summary>Creates the schema (ledger and cluster membership) if it is missing, and starts the writer. Idempotent, also across processes.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writes is not null)
        {
            return;
        }
        await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            // Plain commands: the schema scripts hold several statements each, which a batch command may not.
            foreach (var sql in new[] { $"SELECT pg_advisory_xact_lock({PostgresSchema.SchemaLock})", PostgresSchema.Create, ClusterSchema.Create })
            {
                await using var command = new NpgsqlCommand(sql, connection, transaction);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await using var queries = new NpgsqlBatch(connection, transaction);
            foreach (var (key, text) in ClusterSchema.Queries)
            {
                queries.BatchCommands.Add(new NpgsqlBatchCommand(ClusterSchema.UpsertQuery) { Parameters = { new() { Value = key }, new() { Value = text } } });
            }
            await queries.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_writes is null)
            {
                _writes = new GroupCommit(new PostgresWriter(_dataSource), _maxBatchSize, _logger);
                LedgerLog.Opened(_logger, _where);
            }
        }
    }

    public Task SaveQueueAsync(string workspace, QueueInfo queue, CancellationToken cancellationToken = default) =>
        Writes.Enqueue(new QueueWrite(workspace, queue), cancellationToken);

    public Task SaveAgentAsync(string workspace, AgentRecord agent, CancellationToken cancellationToken = default) =>
        Writes.Enqueue(new AgentWrite(workspace, agent), cancellationToken);

    public Task SaveConversationAsync(string workspace, ConversationChange change, CancellationToken cancellationToken = default) =>
        Writes.Enqueue(new ConversationWrite(workspace, change), cancellationToken);

    /// <summary>Stops taking writes, commits every write already queued, then closes the connections. Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
            _disposal ??= CloseAsync(_writes);
            return new ValueTask(_disposal);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private GroupCommit Writes
    {
        get
        {
            ThrowIfUnavailable();
            return _writes!;
        }
    }

    private void ThrowIfUnavailable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writes is null)
        {
            throw new InvalidOperationException("Call InitializeAsync before using the ledger.");
        }
    }

    private async Task CloseAsync(GroupCommit? writes)
    {
        if (writes is not null)
        {
            await writes.DisposeAsync().ConfigureAwait(false);
        }
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
