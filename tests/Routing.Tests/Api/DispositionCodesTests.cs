using System.Net;
using Microsoft.Extensions.Time.Testing;
using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Api;

/// <summary>
/// A queue's disposition codes (docs/conversations.md, "Disposition codes"): defined with the queue and refused when
/// malformed; a completion names one of them or none, and anything else is refused and changes nothing; the disposition
/// report counts the completions of the period by queue and code, as JSON and as CSV.
/// </summary>
public sealed class DispositionCodesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 11, 8, 0, 0, TimeSpan.Zero);
    private readonly ApiFactory _api = new() { Time = new FakeTimeProvider(Start) };
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _http = _api.CreateClient();
        var defined = await _http.Put(
            "/api/queues/returns",
            new
            {
                name = "Returns",
                wrapUpSeconds = new { chat = 0 },
                dispositionCodes = new[]
                {
                    new { code = "refund-issued", name = "Refund issued" },
                    new { code = "exchange", name = "Exchange" },
                },
            }
        );
        Assert.Equal(HttpStatusCode.Created, defined.StatusCode);
        await _http.Put("/api/queues/free", new { name = "Free text", wrapUpSeconds = new { chat = 0 } });
        await _http.Put("/api/agents/amy", new { name = "Amy", queues = new[] { new { queueId = "returns" }, new { queueId = "free" } } });
        await _http.Post("/api/agents/amy/status", new { status = "Available" });
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task TheQueueListsItsCodesAndMalformedOnesAreRefusedWithoutChangingIt()
    {
        var queue = await (await _http.GetAsync("/api/queues/returns")).Body();
        Assert.Equal(
            ["refund-issued:Refund issued", "exchange:Exchange"],
            queue.GetProperty("dispositionCodes").EnumerateArray().Select(c => $"{c.GetProperty("code")}:{c.GetProperty("name")}")
        );
        Assert.Empty((await (await _http.GetAsync("/api/queues/free")).Body()).GetProperty("dispositionCodes").EnumerateArray());

        foreach (
            var (codes, expected) in new (object, string)[]
            {
                (new[] { new { code = "a", name = "A" }, new { code = "a", name = "Again" } }, "duplicate-disposition-code"),
                (new[] { new { code = "not an id", name = "A" } }, "invalid-id"),
                (new[] { new { code = "a", name = "" } }, "dispositionCodes[0].name"),
                (Enumerable.Range(0, 51).Select(i => new { code = $"c{i}", name = "C" }).ToArray(), "too-many-disposition-codes"),
            }
        )
        {
            var refused = await _http.Put("/api/queues/returns", new { name = "Returns", dispositionCodes = codes });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(expected, (await refused.Body()).GetRawText(), StringComparison.Ordinal);
        }
        var unchanged = await (await _http.GetAsync("/api/queues/returns")).Body();
        Assert.Equal(2, unchanged.GetProperty("dispositionCodes").GetArrayLength());
    }

    [Fact]
    public async Task ACompletionNamesOneOfTheQueuesCodesOrNoneAndTheReportCountsThem()
    {
        var refunded = await ConnectedAsync("returns", "c1");
        var refused = await _http.Post($"/api/conversations/{refunded}/complete", new { agentId = "amy", disposition = "sold" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("unknown-disposition", (await refused.Body()).GetProperty("code").GetString());
        Assert.Equal("Connected", (await (await _http.GetAsync($"/api/conversations/{refunded}")).Body()).GetProperty("state").GetString());
        await CompleteAsync(refunded, "refund-issued");
        await CompleteAsync(await ConnectedAsync("returns", "c2"), "refund-issued");
        await CompleteAsync(await ConnectedAsync("returns", "c3"), null);
        await CompleteAsync(await ConnectedAsync("free", "c4"), "anything goes");

        var query =
            $"/api/reports/dispositions?from={Uri.EscapeDataString(Start.ToString("O"))}"
            + $"&to={Uri.EscapeDataString(Start.AddHours(1).ToString("O"))}";
        var rows = (await (await _http.GetAsync(query)).Body()).GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(
            ["free/anything goes/1", "returns/refund-issued/2", "returns//1"],
            rows.Select(r => $"{r.GetProperty("queueId")}/{r.GetProperty("disposition")}/{r.GetProperty("conversations")}")
        );
        var csv = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Get, query) { Headers = { { "Accept", "text/csv" } } });
        Assert.Equal(
            "queueId,disposition,conversations\r\nfree,anything goes,1\r\nreturns,refund-issued,2\r\nreturns,,1\r\n",
            await csv.Content.ReadAsStringAsync()
        );
        var unaligned = await _http.GetAsync($"/api/reports/dispositions?from=2026-11-11T08:07:00Z&to=2026-11-11T09:00:00Z");
        Assert.Equal(HttpStatusCode.BadRequest, unaligned.StatusCode);
    }

    private async Task<string> ConnectedAsync(string queueId, string customerId)
    {
        var id = (
            await (
                await _http.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "chat",
                        queueId,
                        customer = new { id = customerId },
                    }
                )
            ).Body()
        ).GetProperty("id").GetString()!;
        await _api.Events.WaitAsync<ConversationStateChanged>(
            GrainKeys.DefaultWorkspace,
            e => e.ConversationId == id && e.State == ConversationState.Offered
        );
        Assert.True((await _http.Post($"/api/conversations/{id}/accept", new { agentId = "amy" })).IsSuccessStatusCode);
        return id;
    }

    private async Task CompleteAsync(string id, string? disposition)
    {
        var completed = await _http.Post($"/api/conversations/{id}/complete", new { agentId = "amy", disposition });
        Assert.True(completed.IsSuccessStatusCode, await completed.Content.ReadAsStringAsync());
    }
}
