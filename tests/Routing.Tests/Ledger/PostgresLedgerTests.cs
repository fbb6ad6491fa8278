using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Routing.Ledger;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Ledger;

/// <summary>The PostgreSQL ledger against the shared contract, each test on a database of its own.</summary>
public sealed class PostgresLedgerTests : LedgerContract
{
    private string _database = "";

    public override async Task InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync();

    protected override ILedger CreateLedger() => new PostgresLedger(_database, 512, NullLogger<PostgresLedger>.Instance);

    protected override Task ExecuteSqlAsync(string sql) => ScalarAsync(sql);

    protected override Task DeleteStorageAsync() => TestPostgres.DropDatabaseAsync(_database);

    protected override async Task<string?> IndexDefinitionAsync(string name)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT indexdef FROM pg_indexes WHERE indexname = $1", connection)
        {
            Parameters = { new() { Value = name } },
        };
        return await command.ExecuteScalarAsync() as string;
    }

    [Fact]
    public async Task ManyProcessesCreatingTheSchemaAtOnceAllSucceed()
    {
        var ledgers = Enumerable.Range(0, 6).Select(_ => CreateLedger()).ToList();

        await Task.WhenAll(ledgers.Select(l => OpenAsync(l)));

        Assert.Equal(7L, await ScalarAsync("SELECT MAX(version) FROM schema_version"));
        Assert.Equal(10L, await ScalarAsync("SELECT count(*) FROM orleansquery"));
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() is { } value and not DBNull
            ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
            : 0;
    }
}
