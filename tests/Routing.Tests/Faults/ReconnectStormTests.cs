using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Routing.Client;
using Routing.Contracts;
using Routing.LoadTests.Audit;
using Routing.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Routing.Tests.Faults;

/// <summary>
/// Fault R7 (docs/reliability.md, "The fault table"): every agent's desk reconnects at once after the node restarts —
/// the .NET client retries by itself and resynchronises from the snapshot. Seconds until all are back, and no offer
/// lost: the conversations offered when the node died are offered again, and all of them end. The suite runs it with
/// 500 agents (its time is the suite's); <c>ROUTING_TEST_RECONNECT_AGENTS=1000</c> or more for larger figures.
/// </summary>
[Trait("Speed", "Slow")]
[Collection(Cluster.ClusterCollection.Name)]
public sealed class ReconnectStormTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);
    private readonly string _data = Path.Combine(Path.GetTempPath(), "routing-reconnect-" + Guid.NewGuid().ToString("N"));
    private readonly List<AgentConnection> _desks = [];
    private SiloProcess? _silo;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_desks.Select(d => d.DisposeAsync().AsTask()));
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private static int AgentCount =>
        int.TryParse(
            Environment.GetEnvironmentVariable("ROUTING_TEST_RECONNECT_AGENTS"),
            NumberStyles.Integer,
            CultureInfo.InvariantCulture,
            out var n
        )
        && n > 0
            ? n
            : 500;

    [Fact]
    public async Task EveryDeskComesBackAfterARestartAndEveryOfferLostWithTheNodeIsMadeAgain()
    {
        var agents = AgentCount;
        var conversations = Math.Max(10, agents / 10);
        var port = FreePort.Next();
        _silo = await SiloProcess.StartOnPortAsync(_data, port);
        using var http = new HttpClient { BaseAddress = _silo.Address, Timeout = TimeSpan.FromMinutes(2) }.WithToken(TestTokens.Admin);
        await http.Put(
            "/api/queues/care",
            new
            {
                name = "Care",
                offerTimeoutSeconds = 120,
                wrapUpSeconds = new { chat = 0 },
            }
        );
        var ids = Enumerable.Range(0, agents).Select(i => $"agent-{i:00000}").ToList();
        await Parallel.ForEachAsync(
            ids,
            new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (id, _) =>
                Assert.True(
                    (
                        await http.Put(
                            $"/api/agents/{id}",
                            new
                            {
                                name = id,
                                capacity = new { chat = 1 },
                                queues = new[] { new { queueId = "care" } },
                            }
                        )
                    ).IsSuccessStatusCode
                )
        );

        // Every desk: offers heard before the kill are left unanswered (they die with the node); after it, accepted and completed.
        var offeredBefore = new ConcurrentDictionary<string, string>();
        var completed = new EventLog<string>();
        var resynced = new ConcurrentDictionary<string, long>();
        var violations = new ConcurrentQueue<string>();
        var allOffered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allBack = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long killedAt = 0;
        // WebSockets alone, as desks at scale connect: no negotiation request, one socket per desk.
        var options = new RealtimeOptions
        {
            Server = _silo.Address,
            AccessTokenProvider = TestTokens.AdminProvider,
            Transports = HttpTransportType.WebSockets,
        };
        foreach (var id in ids)
        {
            var desk = new AgentConnection(options, id);
            desk.OfferReceived += offer =>
            {
                if (Interlocked.Read(ref killedAt) == 0)
                {
                    offeredBefore[offer.ConversationId] = id;
                    if (offeredBefore.Count >= conversations)
                    {
                        allOffered.TrySetResult();
                    }
                    return;
                }
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await desk.AcceptAsync(offer.ConversationId);
                        await desk.CompleteAsync(offer.ConversationId);
                        completed.Add(offer.ConversationId);
                    }
                    catch (RealtimeException e) when (e.Code is "offer-not-held" or "offer-expired")
                    {
                        // offered again to someone else meanwhile: theirs to take
                    }
                    catch (Exception e)
                    {
                        violations.Enqueue($"{id} on {offer.ConversationId}: {e.Message}");
                    }
                });
            };
            desk.Resynced += () =>
            {
                if (Interlocked.Read(ref killedAt) != 0)
                {
                    resynced.TryAdd(id, Stopwatch.GetTimestamp());
                    if (resynced.Count == agents)
                    {
                        allBack.TrySetResult();
                    }
                }
            };
            _desks.Add(desk);
        }
        var connecting = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            _desks,
            new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (desk, _) =>
            {
                await desk.StartAsync();
                await desk.SetStatusAsync(AgentStatus.Available);
            }
        );
        output.WriteLine($"{agents:N0} desks connected and available in {connecting.Elapsed.TotalSeconds:0.0} s");

        var created = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, conversations),
            new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (n, _) =>
            {
                var response = await http.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "chat",
                        queueId = "care",
                        customer = new { id = $"c-{n}", tier = "standard" },
                    }
                );
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
                created.Add((await response.Body()).GetProperty("id").GetString()!);
            }
        );
        await allOffered.Task.WaitAsync(Patience);
        Assert.All(created, id => Assert.Contains(id, offeredBefore.Keys));

        Interlocked.Exchange(ref killedAt, Stopwatch.GetTimestamp());
        await _silo.KillAsync();
        await _silo.DisposeAsync();
        _silo = await SiloProcess.StartOnPortAsync(_data, port);
        var listening = Stopwatch.GetTimestamp();

        await allBack.Task.WaitAsync(Patience);
        var back = resynced.Values.Max();
        await completed.WaitAsync(_ => created.All(completed.Items.Contains), Patience);

        Assert.Empty(violations);
        Assert.All(_desks, d => Assert.Equal(HubConnectionState.Connected, d.State));
        var audit = await LedgerSource.Sqlite(_data).AuditAsync(GrainKeys.DefaultWorkspace, created.ToList(), CancellationToken.None);
        Assert.True(audit.Passed, AuditText.Describe(audit, "the node's ledger"));
        Assert.Equal(conversations, audit.ByState.GetValueOrDefault(ConversationState.Completed));
        // Each offer made again was heard — a conversation offered again to the agent who held it when the node died too
        // (a new offer from the snapshot, not the old one) — so none waited out its offer timeout.
        Assert.Equal(0, audit.OfferAnswers.GetValueOrDefault("timed-out") + audit.OfferAnswers.GetValueOrDefault("expired"));
        // Each offer the node died with is on record as lost — but for those whose write the kill overtook: the agent had
        // heard them, the ledger had not, and the conversation is back in line as written.
        var lost = audit.OfferAnswers.GetValueOrDefault("lost");
        Assert.InRange(lost, conversations * 3 / 4, conversations);
        output.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"R7: {agents:N0} desks back {Seconds(listening, back):0.0} s after the restarted node listened "
                    + $"({Seconds(killedAt, back):0.0} s after the kill); "
                    + $"{conversations:N0} offers lost with the node ({lost:N0} on record as lost, the rest overtaken by the kill "
                    + $"before their write), all offered again and completed; audit: {audit.Conversations:N0} conversations, 0 "
                    + $"lost, 0 held by two, 0 over capacity"
            )
        );
    }

    private static double Seconds(long from, long to) => (to - from) / (double)Stopwatch.Frequency;
}
