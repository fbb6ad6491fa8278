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
[Collection(ClusterCollection.Name)]
public sealed class ClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(120);
    private readonly List<SiloProcess> _silos = [];
    private string _database = "";

    public async Task InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
        await TestPostgres.DropDatabaseAsync(_database);
    }

    [Fact]
    public async Task ThreeSilosStartedAtOnceOnAnEmptyDatabaseComeUpAndRouteAcrossEachOther()
    {
        var silos = await StartSilosAsync(3);
        foreach (var silo in silos)
        {
            Assert.True((await Http(silo).GetAsync("/api/queues")).IsSuccessStatusCode, silo.Output);
        }

        await Http(silos[0]).Put("/api/queues/care", new { name = "Care", wrapUpSeconds = new { chat = 0 } });
        await Http(silos[0]).Put("/api/agents/ann", new { name = "Ann", queues = new[] { new { queueId = "care" } } });
        await using var agent = new AgentConnection(new RealtimeOptions { Server = silos[2].Address, AccessTokenProvider = TestTokens.AdminProvider }, "ann");
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
        const int Conversations = 500, Agents = 40, Capacity = 5;
        var silos = await StartSilosAsync(3);
        var (a, b, doomed) = (silos[0], silos[1], silos[2]);
        await Http(a).Put("/api/queues/orders", new { name = "Orders", offerTimeoutSeconds = 5, wrapUpSeconds = new { chat = 0 } });
        var desk = new Desk(output, Http(a));
        for (var i = 0; i < Agents; i++)
        {
            var id = $"agent-{i:00}";
            await Http(a).Put($"/api/agents/{id}", new { name = id, capacity = new { chat = Capacity }, queues = new[] { new { queueId = "orders" } } });
            await desk.ConnectAsync(new RealtimeOptions { Server = (i % 2 == 0 ? a : b).Address, AccessTokenProvider = TestTokens.AdminProvider }, id);
        }
        // Supervisors watch from both survivors: their feeds must outlive the silo's death.
        var watching = new List<(SupervisorConnection Connection, EventLog<QueueStats> Stats, EventLog<AgentStatusChanged> Statuses)>();
        foreach (var silo in new[] { a, b })
        {
            var supervisor = new SupervisorConnection(new RealtimeOptions { Server = silo.Address, AccessTokenProvider = TestTokens.AdminProvider });
            var (stats, statuses) = (new EventLog<QueueStats>(), new EventLog<AgentStatusChanged>());
            supervisor.QueueStatsUpdated += stats.Add;
            supervisor.AgentStatusChanged += statuses.Add;
            await supervisor.StartAsync();
            watching.Add((supervisor, stats, statuses));
        }

        // Half the agents take work before the kill, the other half come after it.
        await desk.SetAvailableAsync(desk.Agents.Take(Agents / 2));

        var created = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Conversations), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (n, _) => created.Add(await CreateAsync(silos[n % 3], "orders", n)));

        var killedAt = Stopwatch.GetTimestamp();
        desk.MarkKill(killedAt);
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
        var audit = await LedgerSource.OnPostgres(_database).AuditAsync(GrainKeys.DefaultWorkspace, created.ToList(), CancellationToken.None);
        Assert.True(audit.Passed, AuditText.Describe(audit, "the cluster's ledger"));
        Assert.Equal(created.Count, audit.ByState.GetValueOrDefault(ConversationState.Completed) + audit.ByState.GetValueOrDefault(ConversationState.Abandoned));
        output.WriteLine(AuditText.Describe(audit, "the cluster's ledger"));
        var recovery = waitingAtKill.Select(desk.FirstOfferAfterKill).Max();
        output.WriteLine($"{waitingAtKill.Count} conversations waiting at the kill; the last of them offered {recovery.TotalSeconds:0.0} s after it");
        Assert.True(recovery <= TimeSpan.FromSeconds(15), $"offered again only {recovery.TotalSeconds:0.0} s after the kill");

        // A silo started afresh joins and serves: conversations created through it reach an agent connected to it.
        var fresh = await SiloProcess.StartInClusterAsync(_database);
        _silos.Add(fresh);
        await Http(fresh).Put("/api/agents/late", new { name = "Late", capacity = new { chat = Capacity }, queues = new[] { new { queueId = "orders" } } });
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

    private async Task<SiloProcess[]> StartSilosAsync(int count)
    {
        var silos = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => SiloProcess.StartInClusterAsync(_database)));
        _silos.AddRange(silos);
        return silos;
    }

    private static HttpClient Http(SiloProcess silo) => new HttpClient { BaseAddress = silo.Address }.WithToken(TestTokens.Admin);

    private static async Task<string> CreateAsync(SiloProcess silo, string queue, int n)
    {
        var response = await Http(silo).Post("/api/conversations", new
        {
            channel = "chat",
            queueId = queue,
            customer = new { id = $"c-{n}", name = $"Customer {n}", tier = "standard" },
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Body()).GetProperty("id").GetString()!;
    }

    /// <summary>
    /// The simulated agents: each accepts what it is offered and completes it at once, retrying a call that fails
    /// while the cluster recovers, and goes back to Available when set Away for missed offers. It checks on the way
    /// that no conversation is accepted by two agents (the ledger's timelines are checked for capacity afterwards).
    /// </summary>
    private sealed class Desk(ITestOutputHelper output, HttpClient rest)
    {
        private readonly ConcurrentDictionary<string, ConcurrentQueue<long>> _offers = new();
        private long _killedAt;

        public List<AgentConnection> Agents { get; } = [];

        public ConcurrentDictionary<string, string> Accepted { get; } = new();

        public EventLog<HashSet<string>> Completed { get; } = new();

        public ConcurrentQueue<string> Violations { get; } = new();

        private readonly HashSet<string> _completed = [];

        public void MarkKill(long at) => Interlocked.Exchange(ref _killedAt, at);

        public bool OfferedBefore(string id, long at) => _offers.TryGetValue(id, out var times) && times.Any(t => t < at);

        public TimeSpan FirstOfferAfterKill(string id) =>
            _offers.TryGetValue(id, out var times) && times.Where(t => t >= _killedAt).DefaultIfEmpty(long.MaxValue).Min() is var first && first != long.MaxValue
                ? Stopwatch.GetElapsedTime(_killedAt, first)
                : TimeSpan.MaxValue;

        public async Task ConnectAsync(RealtimeOptions options, string agentId)
        {
            var agent = new AgentConnection(options, agentId);
            agent.OfferReceived += offer =>
            {
                _offers.GetOrAdd(offer.ConversationId, _ => new()).Enqueue(Stopwatch.GetTimestamp());
                Background($"{agentId} handling {offer.ConversationId}", () => HandleAsync(agent, offer.ConversationId));
            };
            // An accept whose answer was lost while a silo died may still have connected the conversation: the
            // desk learns it from its assignments, as a real desk resynchronises, and completes it.
            agent.AssignmentChanged += (id, state, reason) =>
            {
                if (state == ConversationState.Connected && !Accepted.ContainsKey(id))
                {
                    Background($"{agentId} holding {id}", () => HoldAndCompleteAsync(agent, id));
                }
                else if (state == ConversationState.Completed)
                {
                    MarkCompleted(id);
                }
            };
            agent.StatusChanged += (status, reason) =>
            {
                if (status == AgentStatus.Away && reason == "missed-offers")
                {
                    Background($"{agentId} back to Available", () => Retry(() => agent.SetStatusAsync(AgentStatus.Available)));
                }
            };
            await agent.StartAsync();
            Agents.Add(agent);
        }

        public async Task SetAvailableAsync(IEnumerable<AgentConnection> agents)
        {
            foreach (var agent in agents)
            {
                await Retry(() => agent.SetStatusAsync(AgentStatus.Available));
            }
        }

        private async Task HandleAsync(AgentConnection agent, string id)
        {
            try
            {
                // "unavailable" is transient: try again. The conversation handles one call at a time, so a retry is
                // answered after the first attempt has settled, and says "offer-not-held" if that one connected it.
                await Retry(() => agent.AcceptAsync(id));
            }
            catch (Exception e)
            {
                // Refused — or accepted by an attempt whose answer was lost: ask the server, as a desk's resync would.
                output.WriteLine($"{agent.AgentId} could not accept {id}: {(e as RealtimeException)?.Code ?? e.Message}");
                var seen = await (await rest.GetAsync($"/api/conversations/{id}")).Body();
                if (seen.GetProperty("state").GetString() != "Connected" || seen.GetProperty("agentId").GetString() != agent.AgentId)
                {
                    return;
                }
            }
            await HoldAndCompleteAsync(agent, id);
        }

        private async Task HoldAndCompleteAsync(AgentConnection agent, string id)
        {
            if (!Accepted.TryAdd(id, agent.AgentId))
            {
                if (Accepted[id] != agent.AgentId)
                {
                    Violations.Enqueue($"{id} accepted by {agent.AgentId} after {Accepted[id]}");
                }
                return;
            }
            try
            {
                await Retry(() => agent.CompleteAsync(id, "done"));
            }
            catch (RealtimeException e)
            {
                // Refused: a retry of a complete whose answer was lost finds it completed already.
                var seen = await (await rest.GetAsync($"/api/conversations/{id}")).Body();
                output.WriteLine($"{agent.AgentId} could not complete {id}: {e.Code}; it is {seen.GetProperty("state").GetString()}");
                if (seen.GetProperty("state").GetString() != "Completed")
                {
                    Violations.Enqueue($"{agent.AgentId} could not complete {id}: {e.Code}");
                    return;
                }
            }
            MarkCompleted(id);
        }

        private void MarkCompleted(string id)
        {
            lock (_completed)
            {
                if (_completed.Add(id))
                {
                    Completed.Add([.. _completed]);
                }
            }
        }

        /// <summary>Runs a desk's reaction off the connection's thread; a failure is a violation, not lost silently.</summary>
        private void Background(string what, Func<Task> work) => _ = Task.Run(async () =>
        {
            try
            {
                await work();
            }
            catch (Exception e)
            {
                output.WriteLine($"{what} failed: {e}");
                Violations.Enqueue($"{what} failed: {e.Message}");
            }
        });

        /// <summary>Calls until it succeeds: while a dead silo is being declared dead, calls to what it held fail.</summary>
        private static async Task Retry(Func<Task> call)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await call();
                    return;
                }
                catch (Exception e) when (attempt < 60 && e is not RealtimeException { Code: not "unavailable" })
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500));
                }
            }
        }
    }
}

/// <summary>Cluster tests start several server processes each: they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
