using Routing.Contracts;
using Routing.Ledger;
using static Routing.Tests.Ledger.LedgerSamples;

namespace Routing.Tests.Ledger;

/// <summary>
/// What every <see cref="ILedger"/> promises (docs/architecture.md, "The ledger": SQLite and PostgreSQL pass one shared suite). A concrete
/// class supplies ledgers over storage of its own for each test; xUnit makes a new instance per test.
/// </summary>
public abstract partial class LedgerContract : IAsyncLifetime
{
    protected const string Acme = "acme";
    protected const string Globex = "globex";

    /// <summary>Generous bound that turns a write left hanging into a failure; never used to wait for work.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    private readonly List<ILedger> _opened = [];

    /// <summary>
    /// A new, uninitialised ledger over this test's storage: empty at the test's start, and the same storage for
    /// every ledger created during one test (so a test can close a ledger and open another on the same data).
    /// </summary>
    protected abstract ILedger CreateLedger();

    /// <summary>Runs SQL on this test's storage behind the ledger's back (to make it look like an older ledger's).</summary>
    protected abstract Task ExecuteSqlAsync(string sql);

    /// <summary>The SQL that defines the index <paramref name="name"/> in this test's storage, or null when there is none.</summary>
    protected abstract Task<string?> IndexDefinitionAsync(string name);

    /// <summary>Removes this test's storage; every ledger opened during the test is closed by then.</summary>
    protected abstract Task DeleteStorageAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var ledger in _opened)
        {
            await CloseAsync(ledger);
        }
        await DeleteStorageAsync();
    }

    /// <summary>Creates and initialises a ledger; it is closed at the end of the test if the test did not close it.</summary>
    protected Task<ILedger> OpenAsync() => OpenAsync(CreateLedger());

    /// <summary>Initialises a ledger the concrete class created itself; it too is closed at the end of the test.</summary>
    protected async Task<T> OpenAsync<T>(T ledger)
        where T : ILedger
    {
        _opened.Add(ledger);
        await ledger.InitializeAsync();
        return ledger;
    }

    /// <summary>Closes a ledger the way its host would at shutdown. Closing twice is harmless.</summary>
    protected static async Task CloseAsync(ILedger ledger)
    {
        if (ledger is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    protected static Task Within(Task task) => task.WaitAsync(Hang);

    [Fact]
    public async Task SavedQueueRoundTripsWithEveryField()
    {
        var ledger = await OpenAsync();
        var full = Queue("billing");
        var bare = BareQueue("bare");

        await ledger.SaveQueueAsync(Acme, full);
        await ledger.SaveQueueAsync(Acme, bare);

        Structural.Equal(full, await ledger.GetQueueAsync(Acme, "billing"));
        Structural.Equal(bare, await ledger.GetQueueAsync(Acme, "bare"));
    }

    [Fact]
    public async Task SavingAQueueAgainReplacesIt()
    {
        var ledger = await OpenAsync();
        await ledger.SaveQueueAsync(Acme, Queue("billing"));
        var replacement = BareQueue("billing") with { UpdatedAt = T0.AddHours(1).AddTicks(5) };

        await ledger.SaveQueueAsync(Acme, replacement);

        Structural.Equal(replacement, await ledger.GetQueueAsync(Acme, "billing"));
        Assert.Single(await ledger.ListQueuesAsync(Acme));
    }

    [Fact]
    public async Task QueuesAreListedByIdForOneWorkspaceOrForAll()
    {
        var ledger = await OpenAsync();
        foreach (var id in new[] { "c", "a", "b" })
        {
            await ledger.SaveQueueAsync(Acme, Queue(id, name: "acme " + id));
        }
        await ledger.SaveQueueAsync(Globex, Queue("b", name: "globex b"));

        var acme = await ledger.ListQueuesAsync(Acme);
        Assert.Equal(["a", "b", "c"], acme.Select(q => q.Item.QueueId));
        Assert.All(acme, q => Assert.Equal(Acme, q.Workspace));
        Structural.Equal(Queue("a", name: "acme a"), acme[0].Item);

        var everywhere = await ledger.ListQueuesAsync(null);
        Assert.Equal(
            ["acme/a", "acme/b", "acme/c", "globex/b"],
            everywhere.Select(q => $"{q.Workspace}/{q.Item.QueueId}").Order(StringComparer.Ordinal)
        );
        Assert.Equal("globex b", everywhere.Single(q => q.Workspace == Globex).Item.Definition.Name);
    }

    [Fact]
    public async Task SavedAgentRoundTripsWithEveryField()
    {
        var ledger = await OpenAsync();
        var away = Agent("li", AgentStatus.Away);
        var available = Agent("wang", AgentStatus.Available) with
        {
            Definition = Agent("x").Definition with { MaxTotal = null, Queues = [] },
        };

        await ledger.SaveAgentAsync(Acme, away);
        await ledger.SaveAgentAsync(Acme, available);

        Structural.Equal(away, await ledger.GetAgentAsync(Acme, "li"));
        Structural.Equal(available, await ledger.GetAgentAsync(Acme, "wang"));
    }

    [Fact]
    public async Task CredentialsAreKeptPerWorkspaceAndKindAndASaveReplacesTheOneBefore()
    {
        var ledger = await OpenAsync();
        await ledger.SaveCredentialAsync(Acme, new CredentialRecord(CredentialRecord.Account, "li", """{"v":1}""", T0));
        await ledger.SaveCredentialAsync(Acme, new CredentialRecord(CredentialRecord.ApiKey, "li", """{"key":1}""", T0));
        await ledger.SaveCredentialAsync(Globex, new CredentialRecord(CredentialRecord.Account, "li", """{"other":1}""", T0));
        var replaced = new CredentialRecord(CredentialRecord.Account, "li", """{"v":2}""", T0.AddTicks(1));

        await ledger.SaveCredentialAsync(Acme, replaced);
        await ledger.SaveCredentialAsync(Acme, new CredentialRecord(CredentialRecord.Account, "an", """{"v":3}""", T0));

        Assert.Equal(replaced, await ledger.GetCredentialAsync(Acme, CredentialRecord.Account, "li"));
        Assert.Equal(["an", "li"], (await ledger.ListCredentialsAsync(Acme, CredentialRecord.Account)).Select(c => c.Id));
        Assert.Equal("""{"key":1}""", (await ledger.GetCredentialAsync(Acme, CredentialRecord.ApiKey, "li"))!.Data);
        Assert.Null(await ledger.GetCredentialAsync(Acme, CredentialRecord.ApiKey, "an"));
        Assert.Equal("""{"other":1}""", (await ledger.GetCredentialAsync(Globex, CredentialRecord.Account, "li"))!.Data);
    }

    [Fact]
    public async Task SavingAnAgentAgainReplacesIt()
    {
        var ledger = await OpenAsync();
        await ledger.SaveAgentAsync(Acme, Agent("li", AgentStatus.Away));
        var replacement = Agent("li", AgentStatus.Available, name: "Li Wei (lead)") with
        {
            MissedOffersInRow = 0,
            IdleSince = T0.AddMinutes(3).AddTicks(1),
            UpdatedAt = T0.AddMinutes(3).AddTicks(2),
        };

        await ledger.SaveAgentAsync(Acme, replacement);

        Structural.Equal(replacement, await ledger.GetAgentAsync(Acme, "li"));
        Assert.Single(await ledger.ListAgentsAsync(Acme));
    }

    [Fact]
    public async Task AgentsAreListedByIdForOneWorkspaceOrForAll()
    {
        var ledger = await OpenAsync();
        await ledger.SaveAgentAsync(Acme, Agent("zhao"));
        await ledger.SaveAgentAsync(Acme, Agent("chen", AgentStatus.Available));
        await ledger.SaveAgentAsync(Globex, Agent("chen", AgentStatus.Offline, name: "Chen of Globex"));

        var acme = await ledger.ListAgentsAsync(Acme);
        Assert.Equal(["chen", "zhao"], acme.Select(a => a.Item.AgentId));
        Structural.Equal(Agent("chen", AgentStatus.Available), acme[0].Item);

        var everywhere = await ledger.ListAgentsAsync(null);
        Assert.Equal(3, everywhere.Count);
        Assert.Equal("Chen of Globex", everywhere.Single(a => a.Workspace == Globex).Item.Definition.Name);
    }

    [Fact]
    public async Task WhatWasNeverSavedReadsAsNothing()
    {
        var ledger = await OpenAsync();

        Assert.Null(await ledger.GetQueueAsync(Acme, "nope"));
        Assert.Null(await ledger.GetAgentAsync(Acme, "nope"));
        Assert.Null(await ledger.GetConversationAsync(Acme, "nope"));
        Assert.Empty(await ledger.ListQueuesAsync(null));
        Assert.Empty(await ledger.ListAgentsAsync(Acme));
        Assert.Empty(await ledger.ListActiveConversationsAsync(null));
    }
}
