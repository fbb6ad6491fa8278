using System.Net;
using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Api;

/// <summary>
/// The customer at the desk (docs/conversations.md, "The customer at the desk"): a conversation's customer with tier and
/// attributes and their earlier conversations, across channels and queues, each with its agent, disposition, rating and
/// last private note; a private note written by the agent who holds the conversation, or by a supervisor; an agent reads
/// the history of its own conversation only, and bad input changes nothing.
/// </summary>
public sealed class CustomerHistoryTests : IAsyncLifetime
{
    private readonly ApiFactory _api = new();
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _http = _api.CreateClient();
        await _http.Put("/api/queues/care", new { name = "Care", wrapUpSeconds = new { chat = 0, email = 0 } });
        await _http.Put("/api/queues/sales", new { name = "Sales", wrapUpSeconds = new { chat = 0, email = 0 } });
        await _http.Put("/api/agents/amy", new { name = "Amy", queues = new[] { new { queueId = "care" }, new { queueId = "sales" } } });
        await _http.Put("/api/agents/bo", new { name = "Bo", queues = new[] { new { queueId = "care" } } });
        await _http.Post("/api/agents/amy/status", new { status = "Available" });
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task TheDeskSeesTheCustomersEarlierConversationsWithTheirNotesAndWritesItsOwn()
    {
        var amy = _api.CreateClient().WithToken(TestTokens.Agent("amy"));
        var first = await ConnectedAsync("care", "chat");
        var note = await amy.Post($"/api/conversations/{first}/notes", new { text = "Wants the refund to her card." });
        Assert.Equal(HttpStatusCode.Created, note.StatusCode);
        Assert.Equal(
            ("note", "amy"),
            ((await note.Body()).GetProperty("kind").GetString(), (await note.Body()).GetProperty("by").GetString())
        );
        await _http.Post($"/api/conversations/{first}/complete", new { agentId = "amy", disposition = "refund" });
        await _api.CreateClient().WithToken(TestTokens.Customer(first)).Post($"/api/conversations/{first}/rating", new { score = 2 });
        var second = await ConnectedAsync("sales", "email");

        var answer = await amy.GetAsync($"/api/conversations/{second}/history");
        var history = await answer.Body();
        Assert.True(answer.IsSuccessStatusCode, history.GetRawText());

        Assert.Equal(
            ("mia", "gold"),
            (history.GetProperty("customer").GetProperty("id").GetString(), history.GetProperty("customer").GetProperty("tier").GetString())
        );
        Assert.Equal("A-1001", history.GetProperty("attributes").GetProperty("order").GetString());
        var past = Assert.Single(history.GetProperty("conversations").EnumerateArray()); // without the one at hand
        Assert.Equal(
            (first, "Completed", "chat", "care", "amy", "refund", 2, "Wants the refund to her card."),
            (
                past.GetProperty("conversationId").GetString(),
                past.GetProperty("state").GetString(),
                past.GetProperty("channel").GetString(),
                past.GetProperty("queueId").GetString(),
                past.GetProperty("agentId").GetString(),
                past.GetProperty("disposition").GetString(),
                past.GetProperty("rating").GetInt32(),
                past.GetProperty("note").GetString()
            )
        );

        // A supervisor notes any conversation; the agent's note shows among the conversation's notes.
        var supervisor = _api.CreateClient().WithToken(TestTokens.Staff("supervisor"));
        Assert.Equal(
            HttpStatusCode.Created,
            (await supervisor.Post($"/api/conversations/{first}/notes", new { text = "Called back." })).StatusCode
        );
        var notes = (await (await _http.GetAsync($"/api/conversations/{first}")).Body()).GetProperty("notes").EnumerateArray();
        Assert.Equal(
            ["amy: Wants the refund to her card.", "supervisor: Called back."],
            notes.Select(n => $"{n.GetProperty("by").GetString()}: {n.GetProperty("text").GetString()}")
        );
    }

    [Fact]
    public async Task AnotherAgentNeitherReadsTheHistoryNorNotesAndBadInputChangesNothing()
    {
        var id = await ConnectedAsync("care", "chat");
        var bo = _api.CreateClient().WithToken(TestTokens.Agent("bo"));

        var read = await bo.GetAsync($"/api/conversations/{id}/history");
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal("not-your-conversation", (await read.Body()).GetProperty("code").GetString());
        var noted = await bo.Post($"/api/conversations/{id}/notes", new { text = "mine now" });
        Assert.Equal(HttpStatusCode.Conflict, noted.StatusCode);
        Assert.Equal("not-connected", (await noted.Body()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync($"/api/conversations/{id}/history?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.Post($"/api/conversations/{id}/notes", new { text = "" })).StatusCode);
        Assert.Equal(
            HttpStatusCode.RequestEntityTooLarge,
            (await _http.Post($"/api/conversations/{id}/notes", new { text = new string('x', 4_001) })).StatusCode
        );
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/conversations/nope/history")).StatusCode);

        Assert.Empty((await (await _http.GetAsync($"/api/conversations/{id}")).Body()).GetProperty("notes").EnumerateArray());
    }

    /// <summary>A conversation of the customer Mia, connected with Amy.</summary>
    private async Task<string> ConnectedAsync(string queueId, string channel)
    {
        var id = (
            await (
                await _http.Post(
                    "/api/conversations",
                    new
                    {
                        channel,
                        queueId,
                        customer = new
                        {
                            id = "mia",
                            name = "Mia",
                            tier = "gold",
                        },
                        attributes = new { order = "A-1001" },
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
}
