using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Routing.Contracts;

namespace Routing.Ledger;

/// <summary>
/// The embedded ledger (DESIGN §6): one SQLite file, <c>routing.db</c> in <see cref="LedgerOptions.DataDirectory"/>,
/// in WAL mode with a full fsync on every commit. Every write goes into one queue; a single writer takes all that is
/// pending (up to <see cref="LedgerOptions.MaxBatchSize"/>) and commits it in one transaction, so many callers share
/// each fsync ("group commit"). A write's task completes only once it is durable; writes apply in the order they
/// were submitted. Reads use pooled connections of their own and run beside the writer.
/// </summary>
public sealed partial class SqliteLedger : ILedger, IAsyncDisposable, IDisposable
{
    /// <summary>The name of the database file inside <see cref="LedgerOptions.DataDirectory"/>.</summary>
    public const string FileName = "routing.db";

    private readonly ILogger<SqliteLedger> _logger;
    private readonly int _maxBatchSize;
    private readonly string _writeConnectionString;
    private readonly string _readConnectionString;
    private readonly Lock _gate = new();
    private volatile GroupCommit? _writes;
    private volatile bool _disposed;
    private Task? _disposal;

    public SqliteLedger(IOptions<LedgerOptions> options, ILogger<SqliteLedger> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.DataDirectory))
        {
            throw new ArgumentException("Routing:DataDirectory must name the ledger's directory.", nameof(options));
        }
        if (settings.MaxBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), settings.MaxBatchSize, "Routing:MaxBatchSize must be at least 1.");
        }
        _logger = logger;
        _maxBatchSize = settings.MaxBatchSize;
        DatabasePath = Path.Combine(Path.GetFullPath(settings.DataDirectory), FileName);

        // Readers share a pool and never create the file; the writer has one connection of its own.
        var connection = new SqliteConnectionStringBuilder { DataSource = DatabasePath, DefaultTimeout = 30, Mode = SqliteOpenMode.ReadWrite };
        _readConnectionString = connection.ToString();
        connection.Mode = SqliteOpenMode.ReadWriteCreate;
        connection.Pooling = false;
        _writeConnectionString = connection.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>How many batches the writer has committed: fewer than the writes when group commit is at work.</summary>
    internal long CommittedBatches => _writes?.CommittedBatches ?? 0;

    /// <summary>Creates the directory, the file and the schema if they are missing, and starts the writer. Idempotent.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }
        try
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_writes is null)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
                    _writes = new GroupCommit(SqliteWriter.Open(_writeConnectionString), _maxBatchSize, _logger);
                    LedgerLog.Opened(_logger, DatabasePath);
                }
            }
            return Task.CompletedTask;
        }
        catch (Exception exception)
        {
            return Task.FromException(exception);
        }
    }

    public Task SaveQueueAsync(string workspace, QueueInfo queue, CancellationToken cancellationToken = default) =>
        Writes.Enqueue(new QueueWrite(workspace, queue), cancellationToken);

    public Task SaveAgentAsync(string workspace, AgentRecord agent, CancellationToken cancellationToken = default) =>
        Writes.Enqueue(new AgentWrite(workspace, agent), cancellationToken);

    public Task SaveConversationAsync(string workspace, ConversationChange change, CancellationToken cancellationToken = default) =>
        Writes.Enqueue(new ConversationWrite(workspace, change), cancellationToken);

    /// <summary>Stops taking writes, commits every write already queued, then closes the database. Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
            _disposal ??= CloseAsync(_writes);
            return new ValueTask(_disposal);
        }
    }

    /// <summary>As <see cref="DisposeAsync"/>, blocking until the queued writes are committed.</summary>
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
        using var pooled = new SqliteConnection(_readConnectionString);
        SqliteConnection.ClearPool(pooled);
    }
}
