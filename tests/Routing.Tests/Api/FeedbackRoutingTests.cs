using System.Net;
using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Api;

/// <summary>
/// Feedback routed back (docs/conversations.md, "Feedback routed back"): a rating of 1–2 with a comment opens a follow-up
/// in the queue and skill group the rated conversation's queue names — an email for the same customer, with the comment as
/// its first words, linked both ways — offered only to an agent of that skill group; a better rating opens nothing; a
/// comment past the limit is refused and the conversation stays unrated.
/// </summary>
public sealed class FeedbackRoutingTests : IAsyncLifetime
{
    private readonly ApiFactory _api = new();
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _http = _api.CreateClient();
        await _http.Put("/api/queues/care", new { name = "Care", wrapUpSeconds = new { chat = 0, email = 0 } });
        var refused = await _http.Put("/api/queues/sales", new { name = "Sales", feedback = new { queueId = "nowhere" } });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        var sales = await _http.Put(
            "/api/queues/sales",
            new
            {
                name = "Sales",
                wrapUpSeconds = new { chat = 0 },
                feedback = new { queueId = "care", skills = new { retention = 3 } },
            }
        );
        Assert.Equal(3, (await sales.Body()).GetProperty("feedback").GetProperty("skills").GetProperty("retention").GetInt32());
        await _http.Put("/api/agents/amy", new { name = "Amy", queues = new[] { new { queueId = "sales" } } });
        await _http.Put("/api/agents/dan", new { name = "Dan", queues = new[] { new { queueId = "care" } } });
        await _http.Put(
            "/api/agents/cal",
            new
            {
                name = "Cal",
                skills = new { retention = 4 },
                queues = new[] { new { queueId = "care" } },
            }
        );
        foreach (var agent in new[] { "amy", "dan" })
        {
            await _http.Post($"/api/agents/{agent}/status", new { status = "Available" });
        }
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task ALowRatingWithACommentOpensALinkedFollowUpForTheSkillGroupAndAGoodOneOpensNothing()
    {
        var (rated, token) = await CompletedAsync();
        var customer = _api.CreateClient().WithToken(token);
        var rating = await customer.Post($"/api/conversations/{rated}/rating", new { score = 2, comment = "Nobody solved my problem." });
        Assert.Equal(HttpStatusCode.OK, rating.StatusCode);
        Assert.Empty((await rating.Body()).GetProperty("notes").EnumerateArray()); // a customer reads no note

        var notes = (await (await _http.GetAsync($"/api/conversations/{rated}")).Body()).GetProperty("notes").EnumerateArray().ToList();
        Assert.Equal(
            ["feedback:Nobody solved my problem.", "follow-up"],
            notes.Select(n =>
                n.GetProperty("kind").GetString()
                + (n.GetProperty("kind").GetString() == "feedback" ? ":" + n.GetProperty("text").GetString() : "")
            )
        );
        var followUpId = notes[1].GetProperty("text").GetString()!;
        var followUp = await (await _http.GetAsync($"/api/conversations/{followUpId}")).Body();
        Assert.Equal(
            ("email", "care", "mia"),
            (
                followUp.GetProperty("channel").GetString(),
                followUp.GetProperty("queueId").GetString(),
                followUp.GetProperty("customer").GetProperty("id").GetString()
            )
        );
        Assert.Equal(rated, followUp.GetProperty("attributes").GetProperty("followUpOf").GetString());
        Assert.Equal("2", followUp.GetProperty("attributes").GetProperty("rating").GetString());
        Assert.Equal("Nobody solved my problem.", followUp.GetProperty("transcript")[0].GetProperty("text").GetString());
        Assert.Equal(3, followUp.GetProperty("skills")[0].GetProperty("requirements").GetProperty("retention").GetInt32());

        // Dan, available in Care but without the skill, is not offered it; Cal is, once available.
        await _http.Post("/api/agents/cal/status", new { status = "Available" });
        var offered = await _api.Events.WaitAsync<ConversationStateChanged>(
            GrainKeys.DefaultWorkspace,
            e => e.ConversationId == followUpId && e.State == ConversationState.Offered
        );
        Assert.Equal("cal", offered.AgentId);

        var (happy, happyToken) = await CompletedAsync();
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await _api.CreateClient()
                    .WithToken(happyToken)
                    .Post($"/api/conversations/{happy}/rating", new { score = 5, comment = "Great." })
            ).StatusCode
        );
        var happyNotes = (await (await _http.GetAsync($"/api/conversations/{happy}")).Body()).GetProperty("notes").EnumerateArray();
        Assert.Equal(["feedback"], happyNotes.Select(n => n.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task ACommentPastTheLimitIsRefusedAndTheConversationStaysUnrated()
    {
        var (id, token) = await CompletedAsync();
        var refused = await _api.CreateClient()
            .WithToken(token)
            .Post($"/api/conversations/{id}/rating", new { score = 1, comment = new string('x', 4_001) });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var after = await (await _http.GetAsync($"/api/conversations/{id}")).Body();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, after.GetProperty("rating").ValueKind);
        Assert.Empty(after.GetProperty("notes").EnumerateArray());
    }

    /// <summary>A chat of the customer Mia in Sales, completed by Amy; its id and the customer's token.</summary>
    private async Task<(string Id, string Token)> CompletedAsync()
    {
        var created = await (
            await _http.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = "sales",
                    customer = new
                    {
                        id = "mia",
                        name = "Mia",
                        tier = "gold",
                    },
                }
            )
        ).Body();
        var id = created.GetProperty("id").GetString()!;
        await _api.Events.WaitAsync<ConversationStateChanged>(
            GrainKeys.DefaultWorkspace,
            e => e.ConversationId == id && e.State == ConversationState.Offered
        );
        Assert.True((await _http.Post($"/api/conversations/{id}/accept", new { agentId = "amy" })).IsSuccessStatusCode);
        Assert.True((await _http.Post($"/api/conversations/{id}/complete", new { agentId = "amy" })).IsSuccessStatusCode);
        return (id, created.GetProperty("customerToken").GetString()!);
    }
}
