using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Routing.Ledger;
using static Routing.Tests.Ledger.LedgerSamples;

namespace Routing.Tests.Ledger;

/// <summary>The SQLite ledger against the shared contract, each test in a fresh temporary directory.</summary>
public sealed partial class SqliteLedgerTests : LedgerContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "routing-ledger-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, SqliteLedger.FileName);

    protected override ILedger CreateLedger() => CreateSqliteLedger();

    protected override Task ExecuteSqlAsync(string sql)
    {
        Execute(sql);
        return Task.CompletedTask;
    }

    protected override Task<string?> IndexDefinitionAsync(string name) =>
        Task.FromResult(Execute($"SELECT sql FROM sqlite_master WHERE type = 'index' AND name = '{name}'") as string);

    protected override Task DeleteStorageAsync()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
        return Task.CompletedTask;
    }

    private SqliteLedger CreateSqliteLedger(int maxBatchSize = 512) =>
        new(
            Options.Create(new LedgerOptions { DataDirectory = _directory, MaxBatchSize = maxBatchSize }),
            NullLogger<SqliteLedger>.Instance
        );

    private Task<SqliteLedger> OpenSqliteAsync(int maxBatchSize = 512) => OpenAsync(CreateSqliteLedger(maxBatchSize));

    [Fact]
    public async Task TheLedgerKeepsOneWalFileInItsDataDirectory()
    {
        Assert.False(Directory.Exists(_directory));

        await OpenSqliteAsync();

        Assert.True(File.Exists(DatabasePath));
        Assert.Equal("wal", Execute("PRAGMA journal_mode"));
        Assert.Equal(7L, Execute("SELECT MAX(version) FROM schema_version"));
    }

    [Theory]
    [InlineData("", 512, "Routing:DataDirectory")]
    [InlineData("data", 0, "Routing:Ledger:MaxBatchSize")]
    public void SettingsThatCannotWorkAreRefusedNamingTheKey(string directory, int maxBatchSize, string key)
    {
        var options = Options.Create(new LedgerOptions { DataDirectory = directory, MaxBatchSize = maxBatchSize });

        var error = Assert.ThrowsAny<ArgumentException>(() => new SqliteLedger(options, NullLogger<SqliteLedger>.Instance));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddSqliteLedgerRegistersOneSharedLedgerUnlessAnotherIsRegistered()
    {
        var services = new ServiceCollection().AddLogging().Configure<LedgerOptions>(o => o.DataDirectory = _directory);
        await using (var provider = services.AddSqliteLedger().BuildServiceProvider())
        {
            var ledger = provider.GetRequiredService<ILedger>();
            Assert.IsType<SqliteLedger>(ledger);
            Assert.Same(ledger, provider.GetRequiredService<ILedger>());
            await ledger.InitializeAsync();
            await ledger.SaveQueueAsync(Acme, Queue("billing"));
            Structural.Equal(Queue("billing"), await ledger.GetQueueAsync(Acme, "billing"));
        }

        await using var mine = CreateSqliteLedger();
        var registered = new ServiceCollection().AddLogging().AddSingleton<ILedger>(mine).AddSqliteLedger();
        await using var other = registered.BuildServiceProvider();
        Assert.Same(mine, other.GetRequiredService<ILedger>());
    }
}
