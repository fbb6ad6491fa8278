using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Routing.Ledger;

namespace Routing.LoadTests.Audit;

/// <summary>
/// Where a server keeps its ledger, for the auditor to read on its own: the embedded ledger's data directory, or a
/// PostgreSQL connection string. The auditor opens its own ledger on it — never a grain — and only reads.
/// </summary>
public sealed record LedgerSource(string? DataDirectory, string? Postgres)
{
    public static LedgerSource Sqlite(string dataDirectory) => new(dataDirectory, null);

    public static LedgerSource OnPostgres(string connectionString) => new(null, connectionString);

    public override string ToString() => DataDirectory ?? "PostgreSQL";

    /// <summary>Audits <paramref name="workspace"/> of this ledger (see <see cref="LedgerAudit.Check"/>).</summary>
    public async Task<AuditReport> AuditAsync(
        string workspace,
        IReadOnlyCollection<string>? acknowledged,
        CancellationToken cancellationToken
    )
    {
        GroupCommitLedger ledger = DataDirectory is { } directory
            ? new SqliteLedger(Options.Create(new LedgerOptions { DataDirectory = directory }), NullLogger<SqliteLedger>.Instance)
            : new PostgresLedger(Postgres!, 64, NullLogger<PostgresLedger>.Instance);
        await using (ledger.ConfigureAwait(false))
        {
            var read = (ILedger)ledger;
            await read.InitializeAsync(cancellationToken).ConfigureAwait(false); // the schema is there; this opens it
            return await LedgerAudit.RunAsync(read, workspace, acknowledged, cancellationToken).ConfigureAwait(false);
        }
    }
}
