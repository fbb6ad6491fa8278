using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Routing.Ledger;

/// <summary>
/// The embedded ledger (docs/architecture.md, "The ledger"): one SQLite file, <c>routing.db</c> in <see
/// cref="LedgerOptions.DataDirectory"/>,
/// in WAL mode with a full fsync on every commit. Every write goes into one queue; a single writer takes all that is
/// pending (up to <see cref="LedgerOptions.MaxBatchSize"/>) and commits it in one transaction, so many callers share
/// each fsync ("group commit"). A write's task completes only once it is durable; writes apply in the order they
/// were submitted. Reads use pooled connections of their own and run beside the writer.
/// </summary>
public sealed partial class SqliteLedger : GroupCommitLedger, ILedger
{
    /// <summary>The name of the database file inside <see cref="LedgerOptions.DataDirectory"/>.</summary>
    public const string FileName = "routing.db";

    private readonly string _writeConnectionString;
    private readonly string _readConnectionString;

    public SqliteLedger(IOptions<LedgerOptions> options, ILogger<SqliteLedger> logger)
        : base(Validated(options).MaxBatchSize, logger)
    {
        var settings = options.Value;
        DatabasePath = Path.Combine(Path.GetFullPath(settings.DataDirectory), FileName);

        // Readers share a pool and never create the file; the writer has one connection of its own.
        var connection = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            DefaultTimeout = 30,
            Mode = SqliteOpenMode.ReadWrite,
        };
        _readConnectionString = connection.ToString();
        connection.Mode = SqliteOpenMode.ReadWriteCreate;
        connection.Pooling = false;
        _writeConnectionString = connection.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Creates the directory, the file and the schema if they are missing, and starts the writer. Idempotent.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }
        try
        {
            StartWriter(
                () =>
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
                    return SqliteWriter.Open(_writeConnectionString);
                },
                DatabasePath
            );
            return Task.CompletedTask;
        }
        catch (Exception exception)
        {
            return Task.FromException(exception);
        }
    }

    private static LedgerOptions Validated(IOptions<LedgerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.DataDirectory))
        {
            throw new ArgumentException("Routing:DataDirectory must name the ledger's directory.", nameof(options));
        }
        if (settings.MaxBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                settings.MaxBatchSize,
                "Routing:Ledger:MaxBatchSize must be at least 1."
            );
        }
        return settings;
    }

    private protected override ValueTask CloseStorageAsync()
    {
        using var pooled = new SqliteConnection(_readConnectionString);
        SqliteConnection.ClearPool(pooled);
        return ValueTask.CompletedTask;
    }
}
