using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Routing.Ledger;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Ledger;

/// <summary>
/// The cluster ledger's fence (docs/reliability.md, "The fault table", R3): a ledger fenced by its silo's membership
/// row commits only while that row is not Dead, and a batch checking the fence makes the silo's death declaration wait.
/// </summary>
public sealed class WriterFenceTests : IAsyncLifetime
{
    private static readonly WriterFence Silo = new("routing", "127.0.0.1", 11111, 7);
    private string _database = "";
    private PostgresLedger? _ledger;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _ledger = new PostgresLedger(_database, 512, NullLogger<PostgresLedger>.Instance);
        await _ledger.InitializeAsync();
        await ExecuteAsync(
            $"""
            INSERT INTO orleans_membership_version (deployment_id) VALUES ('{Silo.DeploymentId}');
            INSERT INTO orleans_membership
                (deployment_id, address, port, generation, silo_name, host_name, status, start_time, i_am_alive_time)
            VALUES ('{Silo.DeploymentId}', '{Silo.Address}', {Silo.Port}, {Silo.Generation}, 'silo', 'host', 3, now(), now())
            """
        );
    }

    public async Task DisposeAsync()
    {
        await _ledger!.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_database);
    }

    [Fact]
    public async Task AFencedLedgerWritesWhileItsSiloIsActiveAndNothingOnceItIsDeclaredDead()
    {
        var ledger = _ledger!;
        ledger.FenceBy(Silo);
        await ledger.SaveQueueAsync("acme", LedgerSamples.Queue("before"));

        await ExecuteAsync(DeclareDead);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ledger.SaveQueueAsync("acme", LedgerSamples.Queue("after")));

        Assert.Contains("declared dead", refused.MessageText, StringComparison.Ordinal);
        Assert.NotNull(await ledger.GetQueueAsync("acme", "before"));
        Assert.Null(await ledger.GetQueueAsync("acme", "after"));
    }

    [Fact]
    public async Task DeclaringASiloDeadWaitsForTheBatchThatCheckedItsFence()
    {
        await using var batch = new NpgsqlConnection(_database);
        await batch.OpenAsync();
        await using var transaction = await batch.BeginTransactionAsync();
        await using (var check = new NpgsqlCommand(WriterFence.Check, batch, transaction))
        {
            check.Parameters.AddWithValue(Silo.DeploymentId);
            check.Parameters.AddWithValue(Silo.Address);
            check.Parameters.AddWithValue(Silo.Port);
            check.Parameters.AddWithValue(Silo.Generation);
            await check.ExecuteNonQueryAsync();
        }

        // While that batch is open, the declaration cannot take the row; once it commits, the declaration goes through.
        var blocked = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("SET lock_timeout = '1s'; " + DeclareDead));
        Assert.Equal(PostgresErrorCodes.LockNotAvailable, blocked.SqlState);
        await transaction.CommitAsync();
        await ExecuteAsync(DeclareDead);
    }

    [Fact]
    public async Task TheSessionsOfASiloDeclaredDeadAreEndedWithTheLocksTheyHold()
    {
        var ledger = _ledger!;
        ledger.FenceBy(Silo);
        await ledger.SaveQueueAsync("acme", LedgerSamples.Queue("before")); // names the writer's session after the silo
        // A session of the silo's frozen in the middle of a batch: it holds a row's lock and is not idle.
        await using var frozen = new NpgsqlConnection(_database);
        await frozen.OpenAsync();
        await using (var name = new NpgsqlCommand(WriterFence.NameSession, frozen))
        {
            name.Parameters.AddWithValue(Silo.SessionName);
            await name.ExecuteNonQueryAsync();
        }
        await using var transaction = await frozen.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("SELECT 1 FROM queues WHERE id = 'before' FOR UPDATE", frozen, transaction))
        {
            await hold.ExecuteNonQueryAsync();
        }

        Assert.Equal(2, await ledger.EndSessionsOfAsync(Silo.Address, Silo.Port, Silo.Generation, CancellationToken.None));

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => transaction.CommitAsync());
        await ExecuteAsync("SET lock_timeout = '5s'; UPDATE queues SET updated_at = updated_at WHERE id = 'before'"); // the lock is gone
        Assert.Equal(0, await ledger.EndSessionsOfAsync(Silo.Address, Silo.Port, Silo.Generation + 1, CancellationToken.None));
    }

    private static string DeclareDead =>
        $"UPDATE orleans_membership SET status = 6 WHERE address = '{Silo.Address}' AND port = {Silo.Port} AND generation = "
        + $"{Silo.Generation}";

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
