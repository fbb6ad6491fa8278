using System.Net;
using Routing.Contracts.Access;
using Routing.Contracts.Knowledge;
using Routing.Tests.Api;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Agents;

/// <summary>
/// <c>/api/agents/{agentId}/replies</c> in memory: an agent's own saved replies made, changed, refused on a stale version,
/// deleted and made again; an agent reaches only its own, a supervisor any; bad input changes nothing.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SavedRepliesApiTests(ApiFactory api)
{
    private readonly HttpClient _admin = api.CreateClient();

    private async Task<HttpClient> AgentAsync(string agentId)
    {
        Assert.True((await _admin.Put($"/api/agents/{agentId}", new { name = agentId })).IsSuccessStatusCode);
        return api.CreateClient().WithToken(TestTokens.Agent(agentId));
    }

    private static async Task<List<string>> TitlesAsync(HttpClient client, string agentId) =>
        [
            .. (await (await client.GetAsync($"/api/agents/{agentId}/replies")).Body())
                .EnumerateArray()
                .Select(r => r.GetProperty("title").GetString()!),
        ];

    [Fact]
    public async Task AnAgentSavesChangesAndDeletesItsOwnRepliesEachChangeAVersion()
    {
        var agent = await AgentAsync("sr-ann");
        var created = await agent.Put(
            "/api/agents/sr-ann/replies/thanks",
            new { title = " Thanks ", text = "Thank you, {customer.name}!" }
        );
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Body();
        Assert.Equal(
            ("thanks", "Thanks", 1L),
            (body.GetProperty("id").GetString(), body.GetProperty("title").GetString(), body.GetProperty("version").GetInt64())
        );

        var repeated = await agent.Put("/api/agents/sr-ann/replies/thanks", new { title = "Thanks", text = "Thank you, {customer.name}!" });
        Assert.Equal((HttpStatusCode.OK, 1L), (repeated.StatusCode, (await repeated.Body()).GetProperty("version").GetInt64()));

        var edited = await agent.Put(
            "/api/agents/sr-ann/replies/thanks",
            new
            {
                title = "Thanks",
                text = "Many thanks!",
                version = 1,
            }
        );
        Assert.Equal(2, (await edited.Body()).GetProperty("version").GetInt64());
        var stale = await agent.Put(
            "/api/agents/sr-ann/replies/thanks",
            new
            {
                title = "Thanks",
                text = "Another tab's edit",
                version = 1,
            }
        );
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("version-conflict", (await stale.Body()).GetProperty("code").GetString());

        await agent.Put("/api/agents/sr-ann/replies/a-wait", new { title = "稍等", text = "请稍等，我马上为您查询。" });
        Assert.Equal(["Thanks", "稍等"], await TitlesAsync(agent, "sr-ann"));

        Assert.Equal(HttpStatusCode.NoContent, (await agent.DeleteAsync("/api/agents/sr-ann/replies/thanks")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.DeleteAsync("/api/agents/sr-ann/replies/thanks")).StatusCode);
        Assert.Equal(["稍等"], await TitlesAsync(agent, "sr-ann"));

        var again = await agent.Put("/api/agents/sr-ann/replies/thanks", new { title = "Thanks", text = "Thanks!" });
        Assert.Equal((HttpStatusCode.Created, 1L), (again.StatusCode, (await again.Body()).GetProperty("version").GetInt64()));
    }

    [Fact]
    public async Task AnAgentReachesOnlyItsOwnRepliesAndASupervisorReachesAnyAgentsOfTheWorkspace()
    {
        var ann = await AgentAsync("sr-owner");
        var bob = await AgentAsync("sr-other");
        await ann.Put("/api/agents/sr-owner/replies/mine", new { title = "Mine", text = "Only mine." });

        var read = await bob.GetAsync("/api/agents/sr-owner/replies");
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal("not-your-agent", (await read.Body()).GetProperty("code").GetString());
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await bob.Put("/api/agents/sr-owner/replies/x", new { title = "x", text = "x" })).StatusCode
        );
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.DeleteAsync("/api/agents/sr-owner/replies/mine")).StatusCode);
        Assert.Empty(await TitlesAsync(bob, "sr-other"));

        var supervisor = api.CreateClient().WithToken(TestTokens.Staff(StaffRoles.Supervisor));
        Assert.Equal(["Mine"], await TitlesAsync(supervisor, "sr-owner"));
        Assert.Equal(
            HttpStatusCode.Created,
            (await supervisor.Put("/api/agents/sr-owner/replies/coach", new { title = "Coached", text = "Try this." })).StatusCode
        );
        Assert.Equal(["Coached", "Mine"], await TitlesAsync(ann, "sr-owner"));

        var elsewhere = api.CreateClient().WithToken(TestTokens.Staff(StaffRoles.Admin, workspace: "sr-elsewhere"));
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.GetAsync("/api/agents/sr-owner/replies")).StatusCode);
    }

    [Fact]
    public async Task BadInputGetsAProblemAndChangesNothing()
    {
        var agent = await AgentAsync("sr-bad");
        await agent.Put("/api/agents/sr-bad/replies/kept", new { title = "Kept", text = "As it was." });

        foreach (
            var (path, request, field) in new (string, object, string)[]
            {
                ("/api/agents/sr-bad/replies/kept", new { title = "", text = "x" }, "title"),
                ("/api/agents/sr-bad/replies/kept", new { title = "two\nlines", text = "x" }, "title"),
                ("/api/agents/sr-bad/replies/kept", new { title = new string('t', 101), text = "x" }, "title"),
                ("/api/agents/sr-bad/replies/kept", new { title = "Kept", text = "  " }, "text"),
                ("/api/agents/sr-bad/replies/kept", new { title = "Kept", text = new string('x', 4_001) }, "text"),
                (
                    "/api/agents/sr-bad/replies/kept",
                    new
                    {
                        title = "Kept",
                        text = "x",
                        version = -1,
                    },
                    "version"
                ),
                ("/api/agents/sr-bad/replies/not%20an%20id", new { title = "Kept", text = "x" }, "replyId"),
            }
        )
        {
            var refused = await agent.Put(path, request);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(field, (await refused.Body()).GetRawText(), StringComparison.Ordinal);
        }
        var missing = await _admin.Put("/api/agents/sr-nobody/replies/x", new { title = "x", text = "x" });
        Assert.Equal("agent-not-found", (await missing.Body()).GetProperty("code").GetString());

        var replies = (await (await agent.GetAsync("/api/agents/sr-bad/replies")).Body()).EnumerateArray().ToList();
        var kept = Assert.Single(replies);
        Assert.Equal(("As it was.", 1L), (kept.GetProperty("text").GetString(), kept.GetProperty("version").GetInt64()));
    }

    [Fact]
    public async Task AnAgentKeepsAtMostTheLimitOfReplies()
    {
        var agent = await AgentAsync("sr-many");
        for (var i = 0; i < SavedReply.MaxPerAgent; i++)
        {
            Assert.Equal(
                HttpStatusCode.Created,
                (await agent.Put($"/api/agents/sr-many/replies/r{i}", new { title = $"r{i}", text = "x" })).StatusCode
            );
        }

        var refused = await agent.Put("/api/agents/sr-many/replies/one-more", new { title = "One more", text = "x" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("too-many-replies", (await refused.Body()).GetProperty("code").GetString());
        Assert.Equal(
            HttpStatusCode.OK,
            (await agent.Put("/api/agents/sr-many/replies/r0", new { title = "r0", text = "changed" })).StatusCode
        );
        await agent.DeleteAsync("/api/agents/sr-many/replies/r1");
        Assert.Equal(
            HttpStatusCode.Created,
            (await agent.Put("/api/agents/sr-many/replies/one-more", new { title = "One more", text = "x" })).StatusCode
        );
        Assert.Equal(SavedReply.MaxPerAgent, (await (await agent.GetAsync("/api/agents/sr-many/replies")).Body()).GetArrayLength());
    }
}
