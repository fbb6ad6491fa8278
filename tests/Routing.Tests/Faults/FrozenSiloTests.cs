using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using Routing.Client;
using Routing.Contracts;
using Routing.LoadTests.Audit;
using Routing.Tests.Cluster;
using Routing.Tests.Infrastructure;
using Routing.Tests.Observability;
using Xunit.Abstractions;

namespace Routing.Tests.Faults;

/// <summary>
/// R3 of the fault table (docs/reliability.md): a silo frozen (SIGSTOP) under load for longer than the membership
/// takes to declare it dead, then resumed. The survivors bring back what it held from the ledger; the resumed
/// process, its activations stale, must learn it is dead and stop before it offers or connects anything.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(ClusterCollection.Name)]
public sealed class FrozenSiloTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int SiloDead = 6; // Orleans' SiloStatus.Dead in the membership table
    private const string DeathNotice = "I have been told I am dead, so this silo will stop"; // Orleans, before it ends the process
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(120);

    /// <summary>How soon a resumed silo must have found itself dead and ended (Orleans waits 2 s before it ends the process).</summary>
    private static readonly TimeSpan StopsWithin = TimeSpan.FromSeconds(10);
    private PostgresCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await PostgresCluster.CreateAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ASiloFrozenPastItsDeathLosesNothingAndOnWakingStopsWithoutActingOnWhatItHeld()
    {
        const int Agents = 16,
            Capacity = 3,
            Before = 120;
        var silos = await _cluster.StartSilosAsync(3);
        var (a, b, frozen) = (silos[0], silos[1], silos[2]);
        try
        {
            // Defined through the silo to be frozen, the queue is likely activated there: placement prefers the silo a call arrives at.
            await Http(frozen)
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
            var created = new ConcurrentBag<string>();
            await Parallel.ForEachAsync(
                Enumerable.Range(0, Before),
                new ParallelOptions { MaxDegreeOfParallelism = 8 },
                async (n, ct) => created.Add(await CreateAsync(silos[n % 3], n, ct))
            );
            var held = await ActivationsAsync(frozen);
            output.WriteLine($"the silo to be frozen holds {string.Join(", ", held.Select(h => $"{h.Value} {h.Key}"))}");
            Assert.True(held.GetValueOrDefault("conversation") > 0, "the silo to be frozen holds no conversation");

            // A few agents start on the line just before the freeze: it comes with conversations offered, connected and waiting.
            await desk.SetAvailableAsync(desk.Agents.Take(Agents / 4));
            var frozenAt = Stopwatch.GetTimestamp();
            await frozen.PauseAsync();
            var declaredDead = DeclaredDeadAsync(frozen, frozenAt);
            var waitingAtFreeze = created.Where(id => !desk.OfferedBefore(id, frozenAt)).ToList();
            using var stopCreating = new CancellationTokenSource();
            var during = new ConcurrentBag<string>();
            var creators = Enumerable
                .Range(0, 2)
                .Select(w =>
                    Task.Run(async () =>
                    {
                        for (var n = Before + w; !stopCreating.IsCancellationRequested; n += 2)
                        {
                            during.Add(await CreateAsync(silos[w], n, CancellationToken.None));
                            await Task.Delay(TimeSpan.FromMilliseconds(100)); // a steady trickle, not a flood
                        }
                    })
                )
                .ToList();
            await desk.SetAvailableAsync(desk.Agents.Skip(Agents / 4));

            var deadAfter = await declaredDead;
            output.WriteLine($"the frozen silo was declared dead {deadAfter.TotalSeconds:0.0} s after the freeze");
            // Work goes on without it for a while: conversations created, offered and completed on the survivors only.
            var completedBeforeResume = (await desk.Completed.WaitAsync(ids => ids.Count >= Before / 2 && during.Count >= 20, Hang)).Count;

            var resumedAt = Stopwatch.GetTimestamp();
            var toldDead = frozen.OutputSeen(DeathNotice).ContinueWith(_ => Stopwatch.GetElapsedTime(resumedAt), TaskScheduler.Default);
            var exit = frozen.WaitForExitAsync();
            await frozen.ResumeAsync();
            var exited = await Task.WhenAny(exit, Task.Delay(StopsWithin)) == exit;
            var stoppedAfter = Stopwatch.GetElapsedTime(resumedAt);
            var notice = toldDead.IsCompletedSuccessfully
                ? $"found itself declared dead {(await toldDead).TotalSeconds:0.0} s later and"
                : "(saying nothing of its death)";
            output.WriteLine(
                exited
                    ? $"resumed, the silo {notice} ended its process {stoppedAfter.TotalSeconds:0.0} s after the resume (exit code "
                        + $"{frozen.ExitCode})"
                    : $"resumed, the silo was still running {StopsWithin.TotalSeconds:0} s later"
            );
            output.WriteLine(
                $"in the meantime the survivors refused {Count(a.Output + b.Output, "it was declared dead")} grain calls from it "
                    + $"and the ledger {Count(frozen.Output, "the ledger takes no more of its writes")} of its write batches"
            );
            Assert.True(exited, $"the resumed silo did not stop:\n{frozen.Output}");
            Assert.True(toldDead.IsCompletedSuccessfully, $"the resumed silo stopped, but not for being declared dead:\n{frozen.Output}");
            await stopCreating.CancelAsync();
            await Task.WhenAll(creators);

            var all = created.Concat(during).ToList();
            await CompletedAsync(desk, all, a, b);
            Assert.True(desk.Violations.IsEmpty, string.Join("\n", desk.Violations));
            var audit = await LedgerSource
                .OnPostgres(_cluster.Database)
                .AuditAsync(GrainKeys.DefaultWorkspace, all, CancellationToken.None);
            output.WriteLine(AuditText.Describe(audit, "the cluster's ledger"));
            Assert.True(audit.Passed, AuditText.Describe(audit, "the cluster's ledger"));
            // Nothing the resumed silo did undid an ending: every conversation is still Completed on record.
            Assert.Equal(all.Count, audit.ByState.GetValueOrDefault(ConversationState.Completed));
            // The waiting conversations the frozen silo held were offered only once it was declared dead.
            var offeredAfter = waitingAtFreeze.Select(id => desk.FirstOfferAfter(id, frozenAt)).ToList();
            output.WriteLine(
                $"{all.Count} conversations ({during.Count} during the freeze), {completedBeforeResume} completed before the resume; "
                    + $"{waitingAtFreeze.Count} waiting at the freeze, "
                    + $"{offeredAfter.Count(t => t >= deadAfter)} of them offered only after "
                    + $"the death, "
                    + $"the last {offeredAfter.DefaultIfEmpty(TimeSpan.Zero).Max().TotalSeconds:0.0} s after the freeze"
            );
            output.WriteLine(
                $"the survivors put {Count(a.Output + b.Output, "missing from its line at two checks")} conversations back in line"
            );
        }
        catch
        {
            KeepLogs(a, b, frozen);
            throw;
        }
    }

    /// <summary>
    /// Waits for the desk to complete every one of <paramref name="ids"/>; fails naming those it did not, as the server
    /// sees them, with the errors the survivors logged.
    /// </summary>
    private static async Task CompletedAsync(Desk desk, IReadOnlyCollection<string> ids, params SiloProcess[] survivors)
    {
        try
        {
            await desk.Completed.WaitAsync(done => ids.All(done.Contains), Hang);
        }
        catch (TimeoutException)
        {
            var done = desk.Completed.Items.LastOrDefault() ?? [];
            var stuck = new List<string>();
            foreach (var id in ids.Where(id => !done.Contains(id)))
            {
                stuck.Add(await (await Http(survivors[0]).GetAsync($"/api/conversations/{id}")).Content.ReadAsStringAsync());
            }
            var errors = survivors
                .SelectMany(s => s.Output.Split('\n').Select((line, i) => (line, i, s)))
                .Where(x => x.line.StartsWith("fail:", StringComparison.Ordinal))
                .Select(x => string.Join("\n", x.s.Output.Split('\n').Skip(x.i).Take(3)));
            Assert.Fail(
                $"{stuck.Count} conversations never completed:\n{string.Join("\n", stuck)}\nthe survivors' "
                    + $"errors:\n{string.Join("\n", errors.Take(40))}"
            );
        }
    }

    /// <summary>A failure is read from the silos' own logs: they are kept in the temporary folder, named in the output.</summary>
    private void KeepLogs(SiloProcess a, SiloProcess b, SiloProcess frozen)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, silo) in new[] { ("a", a), ("b", b), ("frozen", frozen) })
        {
            var path = Path.Combine(Path.GetTempPath(), $"routing-frozen-silo-{stamp}-{name}.log");
            File.WriteAllText(path, silo.Output);
            output.WriteLine($"silo {name}'s log kept as {path}");
        }
    }

    private static HttpClient Http(SiloProcess silo) =>
        new HttpClient { BaseAddress = silo.Address, Timeout = TimeSpan.FromSeconds(20) }.WithToken(TestTokens.Admin);

    /// <summary>A create as a channel makes it: with an idempotency key, tried again while the cluster answers 503 or not at all.</summary>
    private static async Task<string> CreateAsync(SiloProcess silo, int n, CancellationToken cancellationToken) =>
        (
            await new ConversationsClient(Http(silo)) { Attempts = 40, FirstBackoff = TimeSpan.FromMilliseconds(500) }.CreateAsync(
                new NewConversation("chat", "orders", new NewCustomer($"c-{n}", $"Customer {n}")),
                cancellationToken: cancellationToken
            )
        ).Id;

    /// <summary>Waits for the membership table to show <paramref name="silo"/> Dead; answers how long after <paramref
    /// name="since"/>.</summary>
    private async Task<TimeSpan> DeclaredDeadAsync(SiloProcess silo, long since)
    {
        await using var connection = new NpgsqlConnection(_cluster.Database);
        await connection.OpenAsync();
        await using var status = new NpgsqlCommand("SELECT status FROM orleans_membership WHERE port = $1", connection)
        {
            Parameters = { new() { Value = silo.SiloPort } },
        };
        var deadline = Stopwatch.GetTimestamp() + (long)(60 * Stopwatch.Frequency);
        while (await status.ExecuteScalarAsync() is not SiloDead)
        {
            Assert.True(Stopwatch.GetTimestamp() < deadline, "the frozen silo was not declared dead within 60 s");
            await Task.Delay(TimeSpan.FromMilliseconds(200)); // polling the table: no event tells a test
        }
        return Stopwatch.GetElapsedTime(since);
    }

    private static int Count(string output, string text) => output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>The silo's activations of conversations, queues and agents, from its <c>/metrics</c>.</summary>
    private static async Task<Dictionary<string, int>> ActivationsAsync(SiloProcess silo)
    {
        var metrics = new PrometheusText(await new HttpClient { BaseAddress = silo.Address }.GetStringAsync("/metrics"));
        return new[] { "conversation", "queue", "agent" }.ToDictionary(
            type => type,
            type => (int)metrics.Sum("microsoft_orleans_orleans_catalog_activations", ("grain_type", type))
        );
    }
}
