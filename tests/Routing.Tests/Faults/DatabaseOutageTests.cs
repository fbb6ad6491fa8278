using System.Diagnostics;
using System.Net;
using Routing.Client;
using Routing.Contracts;
using Routing.LoadTests.Audit;
using Routing.Tests.Cluster;
using Routing.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Routing.Tests.Faults;

/// <summary>
/// R4 of the fault table (docs/reliability.md): the cluster's PostgreSQL stops for 15 s under load — on a server of
/// the test's own, so the rest of the suite keeps its database. While it is down a create is refused at once, 503
/// with <c>Retry-After</c>, never a 500 or a wait of half a minute; nothing acknowledged is lost; and when the
/// database is back the silo serves again by itself.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(ClusterCollection.Name)]
public sealed class DatabaseOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(120);
    private PostgresServer? _postgres;
    private SiloProcess? _silo;

    public async Task InitializeAsync() => _postgres = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    [Fact]
    public async Task WhileTheDatabaseIsDownCreatesAreRefusedWithRetryAfterAndTheSiloRecoversByItself()
    {
        const int Agents = 6,
            Capacity = 4,
            Creators = 4;
        var postgres = _postgres!;
        var silo = _silo = await SiloProcess.StartInClusterAsync(postgres.ConnectionString);
        var http = Http(silo);
        await http.Put(
            "/api/queues/care",
            new
            {
                name = "Care",
                offerTimeoutSeconds = 5,
                wrapUpSeconds = new { chat = 0 },
            }
        );
        var desk = new Desk(output, http);
        for (var i = 0; i < Agents; i++)
        {
            var id = $"agent-{i}";
            await http.Put(
                $"/api/agents/{id}",
                new
                {
                    name = id,
                    capacity = new { chat = Capacity },
                    queues = new[] { new { queueId = "care" } },
                }
            );
            await desk.ConnectAsync(new RealtimeOptions { Server = silo.Address, AccessTokenProvider = TestTokens.AdminProvider }, id);
        }
        await desk.SetAvailableAsync(desk.Agents);

        var load = new CreateLoad(Http(silo));
        using var stop = new CancellationTokenSource();
        var creators = Enumerable.Range(0, Creators).Select(w => Task.Run(() => load.RunAsync(w, Creators, stop.Token))).ToList();
        await load.Answers.WaitAsync(x => x.Status == HttpStatusCode.Created && load.Created.Count >= 60, Hang);

        var haltedAt = Stopwatch.GetTimestamp();
        await postgres.HaltAsync();
        var downAt = Stopwatch.GetTimestamp();
        await load.Answers.WaitAsync(x => x.Started >= downAt && x.Status == HttpStatusCode.ServiceUnavailable, Outage);
        var ready = await new HttpClient { BaseAddress = silo.Address }.GetAsync("/health/ready");
        output.WriteLine($"/health/ready during the outage: {(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}");
        // the fault's length, not a wait for an event
        await Task.Delay(TimeSpan.FromTicks(Math.Max(0, (Outage - Stopwatch.GetElapsedTime(haltedAt)).Ticks)));
        var restartAt = Stopwatch.GetTimestamp();
        await postgres.RestartAsync();
        var upAt = Stopwatch.GetTimestamp();
        // Without restarting the silo: its next creates after the database is back succeed.
        var firstCreated = await load.Answers.WaitAsync(
            x => x.Ended >= upAt && x.Status == HttpStatusCode.Created,
            TimeSpan.FromSeconds(30)
        );
        var recovery = Stopwatch.GetElapsedTime(upAt, firstCreated.Ended);
        var createdAtRecovery = load.Created.Count;
        await load.Answers.WaitAsync(x => x.Status == HttpStatusCode.Created && load.Created.Count >= createdAtRecovery + 60, Hang);
        await stop.CancelAsync();
        await Task.WhenAll(creators);
        var readyAgain = await new HttpClient { BaseAddress = silo.Address }.GetAsync("/health/ready");

        var answers = load.Answers.Items;
        // Sent while the database was down: refused at once. In flight when it stopped: a create whose commit's answer
        // was lost waits until the database is back to learn whether it was made, then answers so (201 or 503).
        var sentInOutage = answers.Where(x => x.Started >= downAt && x.Started <= restartAt).ToList();
        var inFlight = answers.Where(x => x.Started < downAt && x.Ended >= haltedAt).ToList();
        var refused = sentInOutage.Where(x => x.Status == HttpStatusCode.ServiceUnavailable).ToList();
        var slowestRefusal = sentInOutage.Max(x => Stopwatch.GetElapsedTime(x.Started, x.Ended));
        var lostAnswers = silo
            .Output.Split('\n')
            .Where(l => l.Contains("whose commit's answer was lost had", StringComparison.Ordinal))
            .Select(l => l.Trim())
            .ToList();
        output.WriteLine(
            $"during the {Outage.TotalSeconds:0} s outage: {sentInOutage.Count} creates sent, {refused.Count} answered 503 "
                + $"({string.Join(", ", refused.GroupBy(x => x.Code).Select(g => $"{g.Count()} {g.Key}"))}), the slowest in "
                + $"{slowestRefusal.TotalSeconds:0.00} s; "
                + $"{inFlight.Count} in flight at the stop, answered "
                + string.Join(
                    ", ",
                    inFlight.Select(x => $"{(int)x.Status} after {Stopwatch.GetElapsedTime(x.Started, x.Ended).TotalSeconds:0.0} s")
                )
        );
        output.WriteLine(
            $"ledger batches whose commit's answer was lost at the stop: "
                + $"{lostAnswers.Count}{string.Concat(lostAnswers.Select(l => $" ({l})"))}"
        );
        output.WriteLine(
            $"the database took {Stopwatch.GetElapsedTime(restartAt, upAt).TotalSeconds:0.0} s to start again; "
                + $"the first create succeeded {recovery.TotalSeconds:0.0} s after it was up"
        );
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readyAgain.StatusCode);
        Assert.All(
            answers,
            x => Assert.True(x.Status is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"a create was answered {x}")
        );
        Assert.All(
            sentInOutage,
            x =>
                Assert.True(
                    x.Status == HttpStatusCode.ServiceUnavailable && x.RetryAfter,
                    $"a create sent during the outage was answered {x}"
                )
        );
        Assert.True(refused.Count >= Creators, $"only {refused.Count} creates were refused during the outage");
        Assert.True(
            slowestRefusal <= TimeSpan.FromSeconds(5),
            $"a create sent during the outage waited {slowestRefusal.TotalSeconds:0.0} s to be refused"
        );

        // Every acknowledged create is routed to the end, and the ledger holds each of them with no invariant broken.
        var created = load.Created.ToList();
        await desk.Completed.WaitAsync(ids => created.All(ids.Contains), Hang);
        Assert.True(desk.Violations.IsEmpty, string.Join("\n", desk.Violations));
        var audit = await LedgerSource
            .OnPostgres(postgres.ConnectionString)
            .AuditAsync(GrainKeys.DefaultWorkspace, created, CancellationToken.None);
        output.WriteLine(AuditText.Describe(audit, "the silo's ledger"));
        Assert.True(audit.Passed, AuditText.Describe(audit, "the silo's ledger"));
        Assert.Equal(created.Count, audit.ByState.GetValueOrDefault(ConversationState.Completed));
    }

    private static HttpClient Http(SiloProcess silo) =>
        new HttpClient { BaseAddress = silo.Address, Timeout = TimeSpan.FromSeconds(60) }.WithToken(TestTokens.Admin);
}
