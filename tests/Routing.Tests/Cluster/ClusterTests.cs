using System.Collections.Concurrent;
using System.Diagnostics;
using Routing.Client;
using Routing.Contracts;
using Routing.Contracts.Realtime;
using Routing.LoadTests.Audit;
using Routing.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Routing.Tests.Cluster;

/// <summary>
/// Cluster mode for real: three server processes on one PostgreSQL database (ADO.NET clustering, PostgreSQL
/// ledger), agents on the .NET realtime client, conversations through the REST API of any silo, one silo killed hard.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(ClusterCollection.Name)]
public sealed class ClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(120);
    private PostgresCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await PostgresCluster.CreateAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ThreeSilosStartedAtOnceOnAnEmptyDatabaseComeUpAndRouteAcrossEachOther()
    {
        var silos = await _cluster.StartSilosAsync(3);
        foreach (var silo in silos)
        {
            Assert.True((await Http(silo).GetAsync("/api/queues")).IsSuccessStatusCode, silo.Output);
        }

        await Http(silos[0]).Put("/api/queues/care", new { name = "Care", wrapUpSeconds = new { chat = 0 } });
        await Http(silos[0]).Put("/api/agents/ann", new { name = "Ann", queues = new[] { new { queueId = "care" } } });
        await using var agent = new AgentConnection(
            new RealtimeOptions { Server = silos[2].Address, AccessTokenProvider = TestTokens.AdminProvider },
            "ann"
        );
        var offers = new EventLog<OfferNotice>();
        agent.OfferReceived += offers.Add;
        await agent.StartAsync();
        await agent.SetStatusAsync(AgentStatus.Available);

        var id = await CreateAsync(silos[1], "care", 1);
        await offers.WaitAsync(o => o.ConversationId == id);
        await agent.AcceptAsync(id);

        var seen = await (await Http(silos[0]).GetAsync($"/api/conversations/{id}")).Body();
        Assert.Equal("Connected", seen.GetProperty("state").GetString());
        Assert.Equal("ann", seen.GetProperty("agentId").GetString());
    }

    [Fact]
    public async Task ASiloKilledWith500InFlightLosesNothingAndARestartedSiloTakesLoad()
    {
        const int Conversations = 500,
            Agents = 40,
            Capacity = 5;
        var silos = await _cluster.StartSilosAsync(3);
        var (a, b, doomed) = (silos[0], silos[1], silos[2]);
        await Http(a)
            .Put(
                "/api/queues/orders",
                new
                {
                    name = "Orders",
                    offerTimeoutSeconds = 5,
                    wrapUpSeconds = new { chat = 0 },
                }
            );
        var desk = new Desk(output, Http(a));
        for (var i = 0; i < Agents; i++)
        {
            var id = $"agent-{i:00}";
            await Http(a)
                .Put(
                    $"/api/agents/{id}",
                    new
                    {
                        name = id,
                        capacity = new { chat = Capacity },
                        queues = new[] { new { queueId = "orders" } },
                    }
                );
            await desk.ConnectAsync(
                new RealtimeOptions { Server = (i % 2 == 0 ? a : b).Address, AccessTokenProvider = TestTokens.AdminProvider },
                id
            );
        }
        // Supervisors watch from both survivors: their feeds must outlive the silo's death.
        var watching = new List<(SupervisorConnection Connection, EventLog<QueueStats> Stats, EventLog<AgentStatusChanged> Statuses)>();
        foreach (var silo in new[] { a, b })
        {
            var supervisor = new SupervisorConnection(
                new RealtimeOptions { Server = silo.Address, AccessTokenProvider = TestTokens.AdminProvider }
            );
            var (stats, statuses) = (new EventLog<QueueStats>(), new EventLog<AgentStatusChanged>());
            supervisor.QueueStatsUpdated += stats.Add;
            supervisor.AgentStatusChanged += statuses.Add;
            await supervisor.StartAsync();
            watching.Add((supervisor, stats, statuses));
        }

        // Half the agents take work before the kill, the other half come after it.
        await desk.SetAvailableAsync(desk.Agents.Take(Agents / 2));

        var created = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Conversations),
            new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (n, _) => created.Add(await CreateAsync(silos[n % 3], "orders", n))
        );

        var killedAt = Stopwatch.GetTimestamp();
        await doomed.KillAsync();
        var waitingAtKill = created.Where(id => !desk.OfferedBefore(id, killedAt)).ToHashSet();
        await desk.SetAvailableAsync(desk.Agents.Skip(Agents / 2));

        try
        {
            await desk.Completed.WaitAsync(ids => created.All(ids.Contains), Hang);
        }
        catch (TimeoutException)
        {
            var done = desk.Completed.Items.LastOrDefault() ?? [];
            var stuck = new List<string>();
            foreach (var id in created.Where(id => !done.Contains(id)))
            {
                stuck.Add(await (await Http(a).GetAsync($"/api/conversations/{id}")).Content.ReadAsStringAsync());
            }
            Assert.Fail($"{stuck.Count} conversations never completed:\n{string.Join("\n", stuck)}");
        }

        // Every conversation ended, and the auditor, replaying the ledger's timelines without asking a grain, finds every
        // acknowledged create there, none offered to two agents at once and no agent over its capacity at any moment.
        Assert.Empty(desk.Violations);
        var audit = await LedgerSource
            .OnPostgres(_cluster.Database)
            .AuditAsync(GrainKeys.DefaultWorkspace, created.ToList(), CancellationToken.None);
        Assert.True(audit.Passed, AuditText.Describe(audit, "the cluster's ledger"));
        Assert.Equal(
            created.Count,
            audit.ByState.GetValueOrDefault(ConversationState.Completed) + audit.ByState.GetValueOrDefault(ConversationState.Abandoned)
        );
        output.WriteLine(AuditText.Describe(audit, "the cluster's ledger"));
        var recovery = waitingAtKill.Select(id => desk.FirstOfferAfter(id, killedAt)).Max();
        output.WriteLine(
            $"{waitingAtKill.Count} conversations waiting at the kill; the last of them offered {recovery.TotalSeconds:0.0} s after it"
        );
        Assert.True(recovery <= TimeSpan.FromSeconds(15), $"offered again only {recovery.TotalSeconds:0.0} s after the kill");

        // A silo started afresh joins and serves: conversations created through it reach an agent connected to it.
        var fresh = (await _cluster.StartSilosAsync(1))[0];
        await Http(fresh)
            .Put(
                "/api/agents/late",
                new
                {
                    name = "Late",
                    capacity = new { chat = Capacity },
                    queues = new[] { new { queueId = "orders" } },
                }
            );
        await desk.ConnectAsync(new RealtimeOptions { Server = fresh.Address, AccessTokenProvider = TestTokens.AdminProvider }, "late");
        foreach (var agent in desk.Agents.Where(x => x.AgentId != "late"))
        {
            await agent.SetStatusAsync(AgentStatus.Away, "break");
        }
        await desk.SetAvailableAsync(desk.Agents.Where(x => x.AgentId == "late"));
        var later = new List<string>();
        for (var n = 0; n < 5; n++)
        {
            later.Add(await CreateAsync(fresh, "orders", Conversations + n));
        }
        await desk.Completed.WaitAsync(ids => later.All(ids.Contains), Hang);
        Assert.All(later, id => Assert.Equal("late", desk.Accepted[id]));
        Assert.Empty(desk.Violations);

        // The supervisors still hear the queue's statistics and the agents going on their break.
        var afterRecovery = DateTimeOffset.UtcNow;
        foreach (var (supervisor, stats, statuses) in watching)
        {
            await stats.WaitAsync(x => x.QueueId == "orders" && x.At > afterRecovery, TimeSpan.FromSeconds(30));
            await statuses.WaitAsync(x => x.AgentId == "agent-39" && x.Reason == "break", TimeSpan.FromSeconds(30));
            await supervisor.DisposeAsync();
        }
    }

    private static HttpClient Http(SiloProcess silo) => new HttpClient { BaseAddress = silo.Address }.WithToken(TestTokens.Admin);

    private static async Task<string> CreateAsync(SiloProcess silo, string queue, int n)
    {
        var response = await Http(silo)
            .Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = queue,
                    customer = new
                    {
                        id = $"c-{n}",
                        name = $"Customer {n}",
                        tier = "standard",
                    },
                }
            );
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Body()).GetProperty("id").GetString()!;
    }
}

/// <summary>Cluster tests start several server processes each: they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
