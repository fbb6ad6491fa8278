using System.Net;
using System.Text.Json;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Durability;

/// <summary>
/// The embedded default is durable: the server killed hard (SIGKILL) and started again on the same data
/// directory has lost nothing it acknowledged.
/// </summary>
[Trait("Speed", "Slow")]
public sealed class RestartTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "routing-restart-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
        return Task.CompletedTask;
    }

    private static async Task<JsonElement> Get(HttpClient http, string url)
    {
        var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Body();
    }

    private static async Task<string> Create(HttpClient http, string tier) => (
            await (
                await http.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "chat",
                        queueId = "care",
                        customer = new { id = tier, tier },
                    }
                )
            ).Body()
        ).GetProperty("id").GetString()!;

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;

    private static async Task<string> CreateWithKey(HttpClient http, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/conversations")
        {
            Content = System.Net.Http.Json.JsonContent.Create(
                new
                {
                    channel = "email",
                    queueId = "care",
                    customer = new { id = "keyed", tier = "standard" },
                }
            ),
        };
        request.Headers.Add("Idempotency-Key", key);
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Body()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task AKilledAndRestartedSiloKeepsQueuedOfferedAndConnectedConversationsAgentsAndQueues()
    {
        string connected,
            offered,
            standard1,
            vip,
            standard2,
            keyed;
        await using (var silo = await SiloProcess.StartAsync(_data))
        {
            using var http = new HttpClient { BaseAddress = silo.Address }.WithToken(TestTokens.Admin);
            await http.Put(
                "/api/queues/care",
                new
                {
                    name = "Care",
                    wrapUpSeconds = new { chat = 0 },
                    offerTimeoutSeconds = 300,
                }
            );
            await http.Put(
                "/api/agents/ann",
                new
                {
                    name = "Ann",
                    capacity = new { chat = 2 },
                    maxTotal = 2,
                    queues = new[] { new { queueId = "care", rank = 1 } },
                }
            );
            await http.Put(
                "/api/agents/bea",
                new
                {
                    name = "Bea",
                    skills = new { zh = 5 },
                    queues = new[] { new { queueId = "care", rank = 2 } },
                }
            );
            await http.Post("/api/agents/ann/status", new { status = "Available" });

            connected = await Create(http, "standard");
            Assert.Equal("Offered", (await Get(http, $"/api/conversations/{connected}")).GetProperty("state").GetString());
            await http.Post($"/api/conversations/{connected}/accept", new { agentId = "ann" });
            await http.Post($"/api/conversations/{connected}/messages", new { from = "customer", text = "still there?" });
            offered = await Create(http, "standard");
            Assert.Equal("Offered", (await Get(http, $"/api/conversations/{offered}")).GetProperty("state").GetString());
            standard1 = await Create(http, "standard");
            vip = await Create(http, "vip");
            standard2 = await Create(http, "standard");
            Assert.Equal(2, (await Get(http, $"/api/conversations/{standard2}")).GetProperty("position").GetInt32());

            keyed = await CreateWithKey(http, "restart-key-1");
            await silo.KillAsync();
        }

        await using (var silo = await SiloProcess.StartAsync(_data))
        {
            using var http = new HttpClient { BaseAddress = silo.Address }.WithToken(TestTokens.Admin);

            // Queues and agents intact.
            Assert.Equal("Care", (await Get(http, "/api/queues/care")).GetProperty("name").GetString());
            var ann = await Get(http, "/api/agents/ann");
            Assert.Equal("Available", ann.GetProperty("status").GetString());
            Assert.Equal(connected, ann.GetProperty("assignments")[0].GetProperty("conversationId").GetString());
            var bea = await Get(http, "/api/agents/bea");
            Assert.Equal(5, bea.GetProperty("skills").GetProperty("zh").GetInt32());
            Assert.Equal("Offline", bea.GetProperty("status").GetString());

            // The connected one is still connected, transcript and all.
            var c = await Get(http, $"/api/conversations/{connected}");
            Assert.Equal("Connected", c.GetProperty("state").GetString());
            Assert.Equal("still there?", c.GetProperty("transcript")[0].GetProperty("text").GetString());

            // The offer died with the process, on record (docs/reliability.md): the timeline says ann was offered it and
            // that the offer was lost, and the conversation is back in its place in line. Matching ran again in
            // priority order: ann's free slot went to the vip.
            var o = await Get(http, $"/api/conversations/{offered}");
            Assert.Equal("Queued", o.GetProperty("state").GetString());
            var steps = o.GetProperty("timeline")
                .EnumerateArray()
                .Select(t => (t.GetProperty("state").GetString(), Text(t, "agentId"), Text(t, "reason")))
                .ToList();
            Assert.Equal(
                [("Created", null, "standard"), ("Queued", null, null), ("Offered", "ann", null), ("Queued", "ann", "offer-lost")],
                steps
            );
            Assert.Equal(
                ("ann", "lost"),
                (
                    o.GetProperty("offers")[0].GetProperty("agentId").GetString(),
                    o.GetProperty("offers")[0].GetProperty("answer").GetString()
                )
            );
            var v = await Get(http, $"/api/conversations/{vip}");
            Assert.Equal("Offered", v.GetProperty("state").GetString());
            Assert.Equal("ann", v.GetProperty("agentId").GetString());

            // The waiting ones are waiting in the same order.
            Assert.Equal(0, o.GetProperty("position").GetInt32());
            Assert.Equal(1, (await Get(http, $"/api/conversations/{standard1}")).GetProperty("position").GetInt32());
            Assert.Equal(2, (await Get(http, $"/api/conversations/{standard2}")).GetProperty("position").GetInt32());

            // A create retried after the restart with its key finds the conversation made before it.
            Assert.Equal(keyed, await CreateWithKey(http, "restart-key-1"));

            // And routing goes on: ann finishes one and gets the oldest waiting one next.
            Assert.Equal(
                HttpStatusCode.OK,
                (await http.Post($"/api/conversations/{connected}/complete", new { agentId = "ann" })).StatusCode
            );
            var next = await Get(http, $"/api/conversations/{offered}");
            Assert.Equal("Offered", next.GetProperty("state").GetString());
            Assert.Equal("ann", next.GetProperty("agentId").GetString());
        }
    }
}
