using Microsoft.Data.Sqlite;
using static Routing.Tests.Ledger.LedgerSamples;

namespace Routing.Tests.Ledger;

// How the SQLite ledger's single writer batches, fails and stops.
public sealed partial class SqliteLedgerTests
{
    private const string RejectPoison = """
        CREATE TRIGGER reject_poison BEFORE INSERT ON conversations WHEN NEW.id = 'poison'
        BEGIN SELECT RAISE(ABORT, 'poison rejected'); END;
        """;

    [Theory]
    [InlineData(512, 2000)]
    [InlineData(10, 100)]
    public async Task WritesQueuedTogetherAreCommittedInSharedTransactionsOfAtMostTheBatchSize(int maxBatchSize, int writes)
    {
        var ledger = await OpenSqliteAsync(maxBatchSize);
        Task[] saves;
        using (HoldWriteLock())
        {
            // The writer takes the first write and waits for the lock; everything after it queues up meanwhile.
            saves = Enumerable.Range(0, writes).Select(i => ledger.SaveConversationAsync(Acme, Change(Conversation($"c{i}")))).ToArray();
        }

        await Within(Task.WhenAll(saves));

        var fewest = (writes + maxBatchSize - 1) / maxBatchSize;
        var most = 1 + ((writes - 1 + maxBatchSize - 1) / maxBatchSize);
        Assert.InRange(ledger.CommittedBatches, fewest, most);
        Assert.Equal(writes, (await ledger.ListActiveConversationsAsync(Acme)).Count);
    }

    [Fact]
    public async Task AWriteTheDatabaseRejectsFailsItsCallerAndTheWriterCarriesOn()
    {
        var ledger = await OpenSqliteAsync();
        Execute(RejectPoison);

        var error = await Assert.ThrowsAsync<SqliteException>(() =>
            Within(ledger.SaveConversationAsync(Acme, Change(Conversation("poison"))))
        );

        Assert.Contains("poison rejected", error.Message, StringComparison.Ordinal);
        await Within(ledger.SaveConversationAsync(Acme, Change(Conversation("fine"))));
        Assert.Null(await ledger.GetConversationAsync(Acme, "poison"));
        Assert.NotNull(await ledger.GetConversationAsync(Acme, "fine"));
    }

    [Fact]
    public async Task AFailedBatchFailsEachOfItsWritesAndStoresNoneOfThem()
    {
        var ledger = await OpenSqliteAsync();
        Execute(RejectPoison);
        string[] ids = ["g0", "g1", "g2", "g3", "g4", "poison", "g5", "g6", "g7", "g8", "g9"];
        Task[] saves;
        using (HoldWriteLock())
        {
            saves = ids.Select(id => ledger.SaveConversationAsync(Acme, Change(Conversation(id)))).ToArray();
        }

        // WhenAny of the one WhenAll task: wait for every save to end, however it ends.
        await Within(Task.WhenAny(Task.WhenAll(saves)));

        var poison = saves[Array.IndexOf(ids, "poison")];
        Assert.IsType<SqliteException>(poison.Exception?.InnerException);
        // The poison never commits alone: at least g0 or g5 shares its batch and fails with it.
        Assert.Contains(saves, s => s != poison && s.Exception?.InnerException == poison.Exception.InnerException);
        for (var i = 0; i < ids.Length; i++)
        {
            var stored = await ledger.GetConversationAsync(Acme, ids[i]);
            Assert.True(
                saves[i].IsCompletedSuccessfully == stored is not null,
                $"{ids[i]}: the task's outcome and the stored data disagree."
            );
        }
        await Within(ledger.SaveConversationAsync(Acme, Change(Conversation("after"))));
    }

    [Fact]
    public async Task AnArticleVersionAlreadyStoredIsRefusedAloneAndItsBatchCommits()
    {
        var ledger = await OpenSqliteAsync();
        await ledger.SaveArticleAsync(Acme, Article("returns"));
        var batches = ledger.CommittedBatches;
        Task[] saves;
        using (HoldWriteLock())
        {
            // The writer takes the first write and waits for the lock: the duplicate shares a batch with the last at least.
            saves =
            [
                ledger.SaveConversationAsync(Acme, Change(Conversation("c1"))),
                ledger.SaveArticleAsync(Acme, Article("returns", title: "Returns, once more")),
                ledger.SaveArticleAsync(Acme, Article("shipping")),
            ];
        }

        await Within(Task.WhenAny(Task.WhenAll(saves)));

        Assert.IsType<InvalidOperationException>(saves[1].Exception?.InnerException);
        Assert.True(saves[0].IsCompletedSuccessfully && saves[2].IsCompletedSuccessfully);
        Assert.InRange(ledger.CommittedBatches - batches, 1, 2);
        Assert.NotNull(await ledger.GetConversationAsync(Acme, "c1"));
        Assert.Equal("How do I return an order?", (await ledger.GetArticleAsync(Acme, "returns"))?.Title);
        Assert.NotNull(await ledger.GetArticleAsync(Acme, "shipping"));
    }

    [Fact]
    public async Task ADisposedLedgerRefusesWritesInsteadOfLeavingThemHanging()
    {
        var ledger = await OpenSqliteAsync();
        await ledger.DisposeAsync();
        await ledger.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Within(ledger.SaveQueueAsync(Acme, Queue("billing"))));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Within(ledger.GetQueueAsync(Acme, "billing")));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => ledger.InitializeAsync());
    }

    [Fact]
    public async Task ALedgerNotYetInitializedRefusesToBeUsed()
    {
        await using var ledger = CreateSqliteLedger();

        await Assert.ThrowsAsync<InvalidOperationException>(() => ledger.SaveQueueAsync(Acme, Queue("billing")));
        await Assert.ThrowsAsync<InvalidOperationException>(() => ledger.ListQueuesAsync(null));
        Assert.False(File.Exists(DatabasePath));
    }

    /// <summary>Another connection takes the database's write lock until disposed; the ledger's writer waits for it.</summary>
    private WriteLock HoldWriteLock()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        return new WriteLock(connection, connection.BeginTransaction(deferred: false));
    }

    private object? Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private sealed class WriteLock(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
    {
        public void Dispose()
        {
            transaction.Dispose();
            connection.Dispose();
        }
    }
}
