using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Routing.Contracts;
using Routing.Ledger;
using Routing.LoadTests.Audit;
using Routing.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Routing.Tests.Faults;

/// <summary>
/// Fault table, row R1 (docs/reliability.md): the single node killed with SIGKILL while creates are in flight. Every
/// create it acknowledged (201) is there after the restart on the same data directory, and a create the kill cut off,
/// retried with its Idempotency-Key, finds the conversation made before the kill or makes it now: never two.
/// </summary>
[Trait("Speed", "Slow")]
public sealed class NodeKilledDuringCreatesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Workers = 24;
    private const int KillAfterAcknowledged = 100;

    private readonly string _data = Path.Combine(Path.GetTempPath(), "routing-faults-r1-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
        return Task.CompletedTask;
    }

    [Fact]
    public async Task EveryCreateAcknowledgedBeforeAKillNineIsThereAfterTheRestartAndNoneIsMadeTwice()
    {
        var acknowledged = new ConcurrentDictionary<string, string>(); // customer → conversation id
        var cutOff = new ConcurrentBag<(string Customer, string Key, long StartedAt)>();
        var otherAnswers = new ConcurrentBag<string>();
        var sent = 0;
        var outstanding = 0;
        var killing = 0;
        long killedAt = 0;

        await using (var silo = await SiloProcess.StartAsync(_data))
        {
            using var http = Client(silo);
            Assert.Equal(HttpStatusCode.Created, (await http.Put("/api/queues/care", new { name = "Care" })).StatusCode);

            // Once enough are acknowledged, the worker that hears the next acknowledgement while half the others have a
            // create out (sent, not answered) kills the node at once: an acknowledgement is only just out, and the other
            // answers of its group commit are still being written.
            void Kill()
            {
                if (Interlocked.Exchange(ref killing, 1) == 0)
                {
                    killedAt = Stopwatch.GetTimestamp();
                    _ = silo.KillAsync(); // the signal is sent before this returns; awaited below
                }
            }

            // Each worker creates one conversation after another, each for a customer of its own under a key of its own,
            // until the kill.
            var workers = Enumerable
                .Range(0, Workers)
                .Select(w =>
                    Task.Run(async () =>
                    {
                        for (var n = 0; Volatile.Read(ref killing) == 0; n++)
                        {
                            Interlocked.Increment(ref outstanding);
                            var customer = $"c{w:00}-{n:0000}";
                            var key = Guid.NewGuid().ToString();
                            Interlocked.Increment(ref sent);
                            var startedAt = Stopwatch.GetTimestamp();
                            try
                            {
                                using var response = await CreateAsync(http, customer, key);
                                if (response.StatusCode == HttpStatusCode.Created)
                                {
                                    acknowledged[customer] = (await response.Body()).GetProperty("id").GetString()!;
                                    if (acknowledged.Count >= KillAfterAcknowledged && Volatile.Read(ref outstanding) > Workers / 2)
                                    {
                                        Kill();
                                    }
                                }
                                else
                                {
                                    otherAnswers.Add(
                                        $"{customer}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}"
                                    );
                                }
                            }
                            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                            {
                                cutOff.Add((customer, key, startedAt));
                                break;
                            }
                            finally
                            {
                                Interlocked.Decrement(ref outstanding);
                            }
                        }
                    })
                )
                .ToList();

            await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
            await silo.KillAsync(); // waits for the process to be gone
        }

        Assert.Empty(otherAnswers);
        var inFlight = cutOff.Count(c => c.StartedAt < killedAt);
        Assert.True(inFlight > 0, "no create was in flight at the kill: the test did not test what it says");

        var customers = acknowledged.ToDictionary(a => a.Value, a => a.Key); // conversation id → customer
        int replayed = 0,
            madeNow = 0,
            waiting;
        await using (var silo = await SiloProcess.StartAsync(_data))
        {
            using var http = Client(silo);

            // Every create the kill cut off, retried with its key: the one made before the kill, or a new one made now.
            foreach (var (customer, key, _) in cutOff)
            {
                using var response = await CreateAsync(http, customer, key);
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                Assert.True(
                    customers.TryAdd((await response.Body()).GetProperty("id").GetString()!, customer),
                    $"the retry of {customer} answered a conversation already counted"
                );
                if (response.Headers.Contains("Idempotent-Replayed"))
                {
                    replayed++;
                }
                else
                {
                    madeNow++;
                }
            }

            // Every acknowledged create, and every retried one, is there once: waiting, for its own customer, created once.
            foreach (var (id, customer) in customers)
            {
                var response = await http.GetAsync($"/api/conversations/{id}");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var seen = await response.Body();
                Assert.Equal(
                    (customer, "Queued"),
                    (seen.GetProperty("customer").GetProperty("id").GetString(), seen.GetProperty("state").GetString())
                );
                Assert.Equal(
                    ["Created", "Queued"],
                    seen.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("state").GetString())
                );
            }
            waiting = (await (await http.GetAsync("/api/queues/care/stats")).Body()).GetProperty("waiting").GetInt32();
        }

        // What the ledger holds: exactly those conversations, one per customer.
        await using var ledger = new SqliteLedger(
            Options.Create(new LedgerOptions { DataDirectory = _data }),
            NullLogger<SqliteLedger>.Instance
        );
        await ledger.InitializeAsync();
        var stored = (await ledger.ListActiveConversationsAsync(GrainKeys.DefaultWorkspace)).Select(c => c.Item).ToList();
        var twice = stored.GroupBy(c => c.Customer.Id).Count(g => g.Count() > 1);
        var audit = await LedgerAudit.RunAsync(ledger, GrainKeys.DefaultWorkspace, [.. acknowledged.Values]);

        output.WriteLine(
            $"R1: {acknowledged.Count} creates acknowledged of {sent} sent before the kill, {cutOff.Count} cut off by it "
                + $"({inFlight} in flight at it); after the restart all {acknowledged.Count} there and Queued; the {cutOff.Count} "
                + $"retried with their keys: "
                + $"{replayed} had been made before the kill, {madeNow} made now; {waiting} waiting = {customers.Count} distinct "
                + $"conversations, "
                + $"{stored.Count} in the ledger, {twice} customers twice"
        );
        Assert.Equal(customers.Count, waiting);
        Assert.Equal(customers.Keys.Order(), stored.Select(c => c.ConversationId).Order());
        Assert.Equal(0, twice);
        Assert.True(audit.Passed, AuditText.Describe(audit, "the node's ledger"));
    }

    private static HttpClient Client(SiloProcess silo) =>
        new HttpClient { BaseAddress = silo.Address, Timeout = TimeSpan.FromSeconds(30) }.WithToken(TestTokens.Admin);

    private static async Task<HttpResponseMessage> CreateAsync(HttpClient http, string customer, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/conversations")
        {
            Content = System.Net.Http.Json.JsonContent.Create(
                new
                {
                    channel = "chat",
                    queueId = "care",
                    customer = new
                    {
                        id = customer,
                        name = customer,
                        tier = "standard",
                    },
                },
                options: ApiFactory.Json
            ),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await http.SendAsync(request);
    }
}
