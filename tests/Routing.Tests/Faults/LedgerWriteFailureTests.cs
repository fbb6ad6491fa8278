using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Routing.Api.Conversations;
using Routing.Contracts;
using Routing.Ledger;
using Routing.LoadTests.Audit;
using Routing.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Routing.Tests.Faults;

/// <summary>
/// Fault table, row R5 (docs/reliability.md): a ledger write fails. What it was for is refused (503
/// <c>ledger-unavailable</c>, with <c>Retry-After</c>), never acknowledged and then lost: a create leaves nothing
/// waiting and its retry makes exactly one conversation; an accept leaves the offer as it was and the agent's slot free,
/// and the conversation ends up connected or back in line once the ledger writes again.
/// </summary>
public sealed class LedgerWriteFailureTests : IAsyncLifetime
{
    private const string Workspace = GrainKeys.DefaultWorkspace;

    private readonly ITestOutputHelper _output;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 12, 9, 0, 0, TimeSpan.Zero));
    private readonly ApiFactory _api;
    private FaultyLedger? _ledger;
    private HttpClient _http = null!;

    public LedgerWriteFailureTests(ITestOutputHelper output)
    {
        _output = output;
        _api = new ApiFactory
        {
            Time = _time,
            WithServices = services =>
                services.AddSingleton<ILedger>(sp => _ledger = new FaultyLedger(ActivatorUtilities.CreateInstance<SqliteLedger>(sp))),
        };
    }

    private FaultyLedger Ledger => _ledger ?? throw new InvalidOperationException("The host has not made its ledger yet.");

    public async Task InitializeAsync()
    {
        _http = _api.CreateClient();
        Assert.Equal(
            HttpStatusCode.Created,
            (
                await _http.Put(
                    "/api/queues/care",
                    new
                    {
                        name = "Care",
                        offerTimeoutSeconds = 30,
                        wrapUpSeconds = new { chat = 0 },
                    }
                )
            ).StatusCode
        );
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task ACreateWhoseWriteFailsIsRefusedWith503LeavesNothingWaitingAndItsRetryMakesExactlyOneConversation()
    {
        var keys = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid().ToString()).ToList();
        Ledger.Fails = _ => true;

        foreach (var key in keys)
        {
            var refused = await CreateAsync(key, "c-" + keys.IndexOf(key));
            await AssertLedgerUnavailableAsync(refused);
            // Nothing of it is on record, or anywhere else.
            Assert.Equal(
                HttpStatusCode.NotFound,
                (await _http.GetAsync($"/api/conversations/{IdempotencyKey.ConversationIdOf(Workspace, "api", key)}")).StatusCode
            );
        }
        var waitingWhileFailing = await WaitingAsync();
        Assert.Equal(0, waitingWhileFailing);

        Ledger.Fails = null;
        var ids = new List<string>();
        foreach (var key in keys)
        {
            var made = await CreateAsync(key, "c-" + keys.IndexOf(key));
            Assert.Equal(HttpStatusCode.Created, made.StatusCode);
            Assert.False(made.Headers.Contains(IdempotencyKey.ReplayedHeader)); // made now: nothing was kept of the refused try
            ids.Add((await made.Body()).GetProperty("id").GetString()!);
            var again = await CreateAsync(key, "c-" + keys.IndexOf(key));
            Assert.Equal((HttpStatusCode.Created, ids[^1]), (again.StatusCode, (await again.Body()).GetProperty("id").GetString()));
        }

        var stored = (await Ledger.ListActiveConversationsAsync(Workspace)).Select(c => c.Item.ConversationId).ToList();
        var waiting = await WaitingAsync();
        _output.WriteLine(
            $"R5 create: {keys.Count} creates refused (503 ledger-unavailable) while the ledger failed, {Ledger.Failed} writes failed, "
                + $"0 acknowledged, {waitingWhileFailing} waiting; after recovery their {keys.Count} retries (each sent twice) made "
                + $"{stored.Count} conversations, {waiting} waiting"
        );
        Assert.Equal(ids.Order(), stored.Order());
        Assert.Equal(keys.Count, waiting);
    }

    [Fact]
    public async Task AnAcceptWhoseWriteFailsIsRefusedKeepsTheOfferAndTheAgentsSlotAndTheSameAcceptWorksOnceTheLedgerWrites()
    {
        await DefineAgentAsync("ann");
        var first = await StartOfferedAsync("ann");
        Ledger.Fails = change => change.Conversation.State == ConversationState.Connected;

        await AssertLedgerUnavailableAsync(await _http.Post($"/api/conversations/{first}/accept", new { agentId = "ann" }));

        // As it was: offered to ann, on record too, and ann holds nothing.
        var seen = await GetAsync($"/api/conversations/{first}");
        Assert.Equal(
            ("Offered", "ann", "pending"),
            (
                seen.GetProperty("state").GetString(),
                seen.GetProperty("agentId").GetString(),
                seen.GetProperty("offers")[0].GetProperty("answer").GetString()
            )
        );
        Assert.Equal(["Created", "Queued", "Offered"], States(seen));
        Assert.Equal(ConversationState.Offered, (await Ledger.GetConversationAsync(Workspace, first))!.State);
        Assert.Equal(0, (await GetAsync("/api/agents/ann")).GetProperty("assignments").GetArrayLength());

        Ledger.Fails = null;
        var accepted = await _http.Post($"/api/conversations/{first}/accept", new { agentId = "ann" });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("Connected", (await accepted.Body()).GetProperty("state").GetString());
        Assert.Equal(
            [first],
            (await GetAsync("/api/agents/ann"))
                .GetProperty("assignments")
                .EnumerateArray()
                .Select(a => a.GetProperty("conversationId").GetString())
        );

        // ann's one slot is taken once and given back once: the next conversation waits while she talks, and is hers after.
        var next = await CreateAsync(null, "c-next");
        var nextId = (await next.Body()).GetProperty("id").GetString()!;
        Assert.Equal("Queued", (await GetAsync($"/api/conversations/{nextId}")).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _http.Post($"/api/conversations/{first}/complete", new { agentId = "ann" })).StatusCode);
        await OfferedAsync(nextId, "ann");

        var timelines = await TimelinesAsync(first, nextId);
        var audit = await LedgerAudit.RunAsync(Ledger, Workspace, [first, nextId]);
        _output.WriteLine(
            $"R5 accept: 1 accept refused (503 ledger-unavailable) while its write failed; the conversation stayed Offered to ann and "
                + $"ann held 0; "
                + $"the same accept after recovery connected it; audit: {audit.Violations.Count} lost, offered to two at once or over "
                + $"capacity"
        );
        Assert.Equal(["Created", "Queued", "Offered", "Connected", "WrapUp", "Completed"], timelines[0].Steps.Select(s => s.State));
        Assert.True(audit.Passed, AuditText.Describe(audit, "the ledger"));
    }

    [Fact]
    public async Task AnOfferWhoseAcceptAndTimeoutFailToWriteGoesBackInLineOnceTheLedgerWritesAgain()
    {
        await DefineAgentAsync("ann");
        var id = await StartOfferedAsync("ann");
        Ledger.Fails = _ => true;

        await AssertLedgerUnavailableAsync(await _http.Post($"/api/conversations/{id}/accept", new { agentId = "ann" }));
        await DefineAgentAsync("bob"); // free all along: it gets the conversation only once it is back in line
        _time.Advance(TimeSpan.FromSeconds(30)); // the offer times out while the ledger still fails...
        // ...and its write fails: the alarm reports it once the conversation has set itself to try again.
        await _api.Logs.WaitAsync(r =>
            r.Category.EndsWith(".ConversationGrain", StringComparison.Ordinal)
            && r.Message.StartsWith("Alarm ", StringComparison.Ordinal)
            && r.Message.EndsWith(" failed", StringComparison.Ordinal)
        );
        Assert.Equal(2, Ledger.Failed); // the accept's and the timeout's

        Ledger.Fails = null;
        _time.Advance(TimeSpan.FromSeconds(5));

        // Back in line once, timed out for ann, and offered to bob: not stuck as ann's offer, not lost from the line.
        await OfferedAsync(id, "bob");
        var seen = await GetAsync($"/api/conversations/{id}");
        var timeline = seen.GetProperty("timeline")
            .EnumerateArray()
            .Select(t => (t.GetProperty("state").GetString(), t.GetProperty("agentId").GetString(), Reason(t)))
            .ToList();
        _output.WriteLine(
            $"R5 accept then timeout: {Ledger.Failed} writes failed (the accept and the timeout); after recovery the offer timed out "
                + $"once and "
                + $"the conversation went to bob: "
                + $"{string.Join(", ", timeline.Select(t => t.Item1 + (t.Item3 is null ? "" : $" ({t.Item3})")))}"
        );
        Assert.Equal(
            [
                ("Created", null, "standard"),
                ("Queued", null, null),
                ("Offered", "ann", null),
                ("Queued", "ann", "offer-timed-out"),
                ("Offered", "bob", null),
            ],
            timeline
        );
        // ann's one slot is free again: the next conversation is hers.
        var next = await CreateAsync(null, "c-next");
        await OfferedAsync((await next.Body()).GetProperty("id").GetString()!, "ann");
    }

    private async Task DefineAgentAsync(string agentId)
    {
        Assert.Equal(
            HttpStatusCode.Created,
            (
                await _http.Put(
                    $"/api/agents/{agentId}",
                    new
                    {
                        name = agentId,
                        capacity = new { chat = 1 },
                        queues = new[] { new { queueId = "care", rank = 1 } },
                    }
                )
            ).StatusCode
        );
        Assert.Equal(HttpStatusCode.OK, (await _http.Post($"/api/agents/{agentId}/status", new { status = "Available" })).StatusCode);
    }

    private async Task<string> StartOfferedAsync(string agentId)
    {
        var created = await CreateAsync(null, "c-offered");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Body()).GetProperty("id").GetString()!;
        await OfferedAsync(id, agentId);
        // Read back, which waits for the offer's own write: the faults a test then switches on meet later writes only.
        Assert.Equal("Offered", (await GetAsync($"/api/conversations/{id}")).GetProperty("state").GetString());
        return id;
    }

    private Task OfferedAsync(string conversationId, string agentId) =>
        _api.Events.WaitAsync<ConversationStateChanged>(
            Workspace,
            e => e.ConversationId == conversationId && e.State == ConversationState.Offered && e.AgentId == agentId
        );

    private Task<HttpResponseMessage> CreateAsync(string? key, string customer)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/conversations")
        {
            Content = System.Net.Http.Json.JsonContent.Create(
                new
                {
                    channel = "chat",
                    queueId = "care",
                    customer = new { id = customer, tier = "standard" },
                },
                options: ApiFactory.Json
            ),
        };
        if (key is not null)
        {
            request.Headers.Add(IdempotencyKey.Header, key);
        }
        return _http.SendAsync(request);
    }

    private static async Task AssertLedgerUnavailableAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("ledger-unavailable", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        Assert.NotNull(response.Headers.RetryAfter);
    }

    private async Task<JsonElement> GetAsync(string url)
    {
        var response = await _http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Body();
    }

    private async Task<int> WaitingAsync() => (await GetAsync("/api/queues/care/stats")).GetProperty("waiting").GetInt32();

    private static List<string?> States(JsonElement conversation) =>
        conversation.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("state").GetString()).ToList();

    private static string? Reason(JsonElement transition) => transition.TryGetProperty("reason", out var r) ? r.GetString() : null;

    private async Task<List<(string Id, List<(string State, DateTimeOffset At, string? Agent)> Steps)>> TimelinesAsync(params string[] ids)
    {
        var timelines = new List<(string, List<(string, DateTimeOffset, string?)>)>();
        foreach (var id in ids)
        {
            var seen = await GetAsync($"/api/conversations/{id}");
            timelines.Add(
                (
                    id,
                    seen.GetProperty("timeline")
                        .EnumerateArray()
                        .Select(t =>
                            (
                                t.GetProperty("state").GetString()!,
                                t.GetProperty("at").GetDateTimeOffset(),
                                t.GetProperty("agentId").GetString()
                            )
                        )
                        .ToList()
                )
            );
        }
        return timelines;
    }
}
