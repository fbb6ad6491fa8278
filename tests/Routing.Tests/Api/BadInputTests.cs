using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Api;

/// <summary>docs/api.md, "Problems and error codes": every bad input gets a 4xx problem with a stable code and the field at fault, and
/// changes nothing.</summary>
[Collection(ApiCollection.Name)]
public sealed class BadInputTests(ApiFactory api)
{
    private readonly HttpClient _http = api.CreateClient();
    private readonly string _queue = $"q-{Guid.NewGuid():N}"[..20];

    private async Task<(string Queue, string Agent)> SetUp()
    {
        await _http.Put($"/api/queues/{_queue}", new { name = "Q", wrapUpSeconds = new { chat = 0 } });
        var agent = $"a-{Guid.NewGuid():N}"[..20];
        await _http.Put($"/api/agents/{agent}", new { name = "A", queues = new[] { new { queueId = _queue, rank = 1 } } });
        return (_queue, agent);
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code, string? field)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Body();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        if (field is not null)
        {
            Assert.Equal(field, problem.GetProperty("field").GetString());
        }
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
    }

    private async Task<int> Waiting() =>
        (await (await _http.GetAsync($"/api/queues/{_queue}/stats")).Body()).GetProperty("waiting").GetInt32();

    private object Conversation(
        string channel = "chat",
        string? queue = null,
        string tier = "standard",
        int? priority = null,
        object? skills = null,
        string? message = null
    ) =>
        new
        {
            channel,
            queueId = queue ?? _queue,
            customer = new { id = "c1", tier },
            priority,
            skills,
            message,
        };

    [Fact]
    public async Task AnUnknownChannelIsRefused()
    {
        await SetUp();
        await AssertProblem(
            await _http.Post("/api/conversations", Conversation(channel: "fax")),
            HttpStatusCode.BadRequest,
            "unknown-channel",
            "channel"
        );
        Assert.Equal(0, await Waiting());
    }

    [Fact]
    public async Task AnUnknownQueueIsNotFound()
    {
        await SetUp();
        await AssertProblem(
            await _http.Post("/api/conversations", Conversation(queue: "nowhere")),
            HttpStatusCode.NotFound,
            "queue-not-found",
            "queueId"
        );
        await AssertProblem(await _http.GetAsync("/api/queues/nowhere"), HttpStatusCode.NotFound, "queue-not-found", "queueId");
        await AssertProblem(await _http.GetAsync("/api/queues/nowhere/stats"), HttpStatusCode.NotFound, "queue-not-found", "queueId");
    }

    [Fact]
    public async Task ASkillLevelOutsideOneToFiveIsRefusedAndTheAgentIsNotCreated()
    {
        await SetUp();
        var response = await _http.Put(
            "/api/agents/zed",
            new
            {
                name = "Zed",
                skills = new { billing = 6 },
                queues = new[] { new { queueId = _queue } },
            }
        );
        await AssertProblem(response, HttpStatusCode.BadRequest, "skill-level-out-of-range", "skills.billing");
        await AssertProblem(await _http.GetAsync("/api/agents/zed"), HttpStatusCode.NotFound, "agent-not-found", "agentId");

        var step = await _http.Post("/api/conversations", Conversation(skills: new[] { new { requirements = new { billing = 0 } } }));
        await AssertProblem(step, HttpStatusCode.BadRequest, "skill-level-out-of-range", "skills[0].requirements.billing");
        Assert.Equal(0, await Waiting());
    }

    [Fact]
    public async Task ANegativeCapacityIsRefusedAndTheAgentIsUnchanged()
    {
        var (_, agent) = await SetUp();
        var response = await _http.Put(
            $"/api/agents/{agent}",
            new
            {
                name = "A",
                capacity = new { chat = -1 },
                queues = new[] { new { queueId = _queue } },
            }
        );
        await AssertProblem(response, HttpStatusCode.BadRequest, "negative-capacity", "capacity.chat");
        var unchanged = await (await _http.GetAsync($"/api/agents/{agent}")).Body();
        Assert.Equal(3, unchanged.GetProperty("capacity").GetProperty("chat").GetInt32());
        await AssertProblem(
            await _http.Put($"/api/agents/{agent}", new { name = "A", capacity = new { fax = 1 } }),
            HttpStatusCode.BadRequest,
            "unknown-channel",
            "capacity.fax"
        );
    }

    [Fact]
    public async Task AnOversizedTranscriptMessageIsRefusedAndTheTranscriptIsUnchanged()
    {
        await SetUp();
        var id = (await (await _http.Post("/api/conversations", Conversation(message: "hello"))).Body()).GetProperty("id").GetString();
        var huge = new string('x', 4_001);

        await AssertProblem(
            await _http.Post($"/api/conversations/{id}/messages", new { from = "customer", text = huge }),
            HttpStatusCode.RequestEntityTooLarge,
            "message-too-large",
            "text"
        );
        await AssertProblem(
            await _http.Post("/api/conversations", Conversation(message: huge)),
            HttpStatusCode.RequestEntityTooLarge,
            "message-too-large",
            "message"
        );

        var transcript = (await (await _http.GetAsync($"/api/conversations/{id}")).Body()).GetProperty("transcript");
        Assert.Equal(1, transcript.GetArrayLength());
        Assert.Equal(1, await Waiting());
    }

    [Fact]
    public async Task MalformedJsonIsRefused()
    {
        await SetUp();
        var response = await _http.PostAsync(
            "/api/conversations",
            new StringContent("{\"channel\": \"chat\", ", Encoding.UTF8, "application/json")
        );
        await AssertProblem(response, HttpStatusCode.BadRequest, "malformed-request", "body");
        var wrongType = await _http.PostAsync(
            "/api/conversations",
            new StringContent("{\"channel\": 5}", Encoding.UTF8, "application/json")
        );
        await AssertProblem(wrongType, HttpStatusCode.BadRequest, "malformed-request", "body");
        Assert.Equal(0, await Waiting());
    }

    [Fact]
    public async Task AConversationOfAnotherWorkspaceIsNotFoundAndUntouched()
    {
        await SetUp();
        var other = api.Grains;
        await other
            .GetGrain<IQueueGrain>(GrainKeys.For("other", "q"))
            .DefineAsync(
                new QueueDefinition("q", ServiceLevelGoal.Default, "longest-idle", 0, new Dictionary<string, int>(), 15, null, null)
            );
        var id = Guid.NewGuid().ToString("N");
        await other
            .GetGrain<IConversationGrain>(GrainKeys.For("other", id))
            .StartAsync(
                new StartConversation("chat", "q", new Customer("c", null, "standard"), 10, [], new Dictionary<string, string>(), null)
            );

        await AssertProblem(await _http.GetAsync($"/api/conversations/{id}"), HttpStatusCode.NotFound, "conversation-not-found", null);
        await AssertProblem(await _http.Post($"/api/conversations/{id}/abandon"), HttpStatusCode.NotFound, "conversation-not-found", null);

        var theirs = await other.GetGrain<IConversationGrain>(GrainKeys.For("other", id)).GetAsync();
        Assert.Equal(ConversationState.Queued, theirs.State);
    }

    [Fact]
    public async Task AcceptingAnOfferYouDoNotHoldIsAConflict()
    {
        var (_, agent) = await SetUp();
        var id = (await (await _http.Post("/api/conversations", Conversation())).Body()).GetProperty("id").GetString();

        await AssertProblem(
            await _http.Post($"/api/conversations/{id}/accept", new { agentId = agent }),
            HttpStatusCode.Conflict,
            "offer-not-held",
            "agentId"
        );
        await AssertProblem(
            await _http.Post($"/api/conversations/{id}/rating", new { score = 5 }),
            HttpStatusCode.Conflict,
            "not-completed",
            null
        );
        await AssertProblem(
            await _http.Post($"/api/conversations/{id}/complete", new { agentId = agent }),
            HttpStatusCode.Conflict,
            "not-connected",
            "agentId"
        );
        Assert.Equal("Queued", (await (await _http.GetAsync($"/api/conversations/{id}")).Body()).GetProperty("state").GetString());
    }

    [Theory]
    [InlineData(
        "{\"channel\":\"chat\",\"queueId\":\"Q\",\"customer\":{\"id\":\"c\",\"tier\":\"platinum\"}}",
        "unknown-tier",
        "customer.tier"
    )]
    [InlineData("{\"channel\":\"chat\",\"queueId\":\"Q\",\"customer\":{\"id\":\"c\"},\"priority\":101}", "out-of-range", "priority")]
    [InlineData("{\"channel\":\"chat\",\"queueId\":\"Q\"}", "required", "customer")]
    [InlineData(
        "{\"channel\":\"chat\",\"queueId\":\"Q\",\"customer\":{\"id\":\"c\"},"
            + "\"skills\":[{\"requirements\":{\"billing\":4}},{\"requirements\":{}}]}",
        "untimed-step-not-last",
        "skills[0].seconds"
    )]
    [InlineData("{\"channel\":\"chat\",\"queueId\":\"bad id\",\"customer\":{\"id\":\"c\"}}", "invalid-id", "queueId")]
    public async Task InvalidConversationFieldsAreNamed(string json, string code, string field)
    {
        await SetUp();
        var response = await _http.PostAsync(
            "/api/conversations",
            new StringContent(
                json.Replace("\"Q\"", JsonSerializer.Serialize(_queue), StringComparison.Ordinal),
                Encoding.UTF8,
                "application/json"
            )
        );
        await AssertProblem(response, HttpStatusCode.BadRequest, code, field);
        Assert.Equal(0, await Waiting());
    }

    [Fact]
    public async Task InvalidQueueAndStatusFieldsAreNamed()
    {
        var (_, agent) = await SetUp();
        await AssertProblem(
            await _http.Put("/api/queues/bad%20id", new { name = "x" }),
            HttpStatusCode.BadRequest,
            "invalid-id",
            "queueId"
        );
        await AssertProblem(
            await _http.Put($"/api/queues/{_queue}", new { name = "Q", selection = "random" }),
            HttpStatusCode.BadRequest,
            "unknown-selection",
            "selection"
        );
        await AssertProblem(
            await _http.Put($"/api/queues/{_queue}", new { name = "Q", overflow = new { queueId = "nowhere", afterSeconds = 5 } }),
            HttpStatusCode.NotFound,
            "queue-not-found",
            "overflow.queueId"
        );
        await AssertProblem(
            await _http.Post($"/api/agents/{agent}/status", new { status = "Sleeping" }),
            HttpStatusCode.BadRequest,
            "unknown-status",
            "status"
        );
        await AssertProblem(
            await _http.Put("/api/agents/zed", new { name = "Zed", queues = new[] { new { queueId = "nowhere" } } }),
            HttpStatusCode.NotFound,
            "queue-not-found",
            "queues[0].queueId"
        );
        var queue = await (await _http.GetAsync($"/api/queues/{_queue}")).Body();
        Assert.Equal("longest-idle", queue.GetProperty("selection").GetString());
        Assert.Equal("Offline", (await (await _http.GetAsync($"/api/agents/{agent}")).Body()).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("/api/queues/{0}", "queueId")]
    [InlineData("/api/agents/{0}", "agentId")]
    [InlineData("/api/accounts/{0}", "userName")]
    public async Task AnIdEndingInANewlineIsRefusedAndNothingIsCreated(string route, string field)
    {
        await SetUp();
        var id = $"n-{Guid.NewGuid():N}"[..12];
        var body = new
        {
            name = "N",
            role = "supervisor",
            password = "a long enough password",
        };

        await AssertProblem(
            await _http.Put(string.Format(CultureInfo.InvariantCulture, route, Uri.EscapeDataString(id + "\n")), body),
            HttpStatusCode.BadRequest,
            "invalid-id",
            field
        );
        await AssertProblem(
            await _http.Put(string.Format(CultureInfo.InvariantCulture, route, Uri.EscapeDataString(id + "\r\n")), body),
            HttpStatusCode.BadRequest,
            "invalid-id",
            field
        );

        var listed = await _http.GetStringAsync(string.Format(CultureInfo.InvariantCulture, route, "").TrimEnd('/'));
        Assert.DoesNotContain(id, listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ControlCharactersInIdsAndNamesOfABodyAreRefusedAndChangeNothing()
    {
        var (_, agent) = await SetUp();
        var id = $"cc-{Guid.NewGuid():N}"[..12];

        await AssertProblem(
            await _http.Put($"/api/queues/{id}", new { name = "Line\nbreak" }),
            HttpStatusCode.BadRequest,
            "control-characters",
            "name"
        );
        await AssertProblem(await _http.GetAsync($"/api/queues/{id}"), HttpStatusCode.NotFound, "queue-not-found", "queueId");
        await AssertProblem(
            await _http.Put($"/api/agents/{agent}", new { name = "A\u0000", queues = new[] { new { queueId = _queue } } }),
            HttpStatusCode.BadRequest,
            "control-characters",
            "name"
        );
        await AssertProblem(
            await _http.Put($"/api/agents/{agent}", new { name = "A", queues = new[] { new { queueId = _queue + "\n" } } }),
            HttpStatusCode.BadRequest,
            "invalid-id",
            "queues[0].queueId"
        );
        await AssertProblem(
            await _http.Post($"/api/agents/{agent}/status", new { status = "Away", reason = "lunch\r\nSet-Cookie: x" }),
            HttpStatusCode.BadRequest,
            "control-characters",
            "reason"
        );
        await AssertProblem(
            await _http.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = _queue + "\n",
                    customer = new { id = "c1" },
                }
            ),
            HttpStatusCode.BadRequest,
            "invalid-id",
            "queueId"
        );
        await AssertProblem(
            await _http.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = _queue,
                    customer = new { id = "c1", name = "Ann\tLee" },
                }
            ),
            HttpStatusCode.BadRequest,
            "control-characters",
            "customer.name"
        );
        await AssertProblem(await _http.Post("/api/keys", new { name = "crm\n" }), HttpStatusCode.BadRequest, "control-characters", "name");

        var unchanged = await (await _http.GetAsync($"/api/agents/{agent}")).Body();
        Assert.Equal(("A", "Offline"), (unchanged.GetProperty("name").GetString(), unchanged.GetProperty("status").GetString()));
        Assert.Equal(0, await Waiting());
    }

    [Fact]
    public async Task ANullInsideAListOrAMapIsRefusedNamingItsPlaceAndChangesNothing()
    {
        var (_, agent) = await SetUp();
        var json = "{\"name\":\"Renamed\",\"queues\":[{\"queueId\":\"Q\"},null]}".Replace(
            "\"Q\"",
            JsonSerializer.Serialize(_queue),
            StringComparison.Ordinal
        );
        await AssertProblem(
            await _http.PutAsync($"/api/agents/{agent}", new StringContent(json, Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest,
            "required",
            "queues[1]"
        );
        await AssertProblem(
            await _http.PutAsync(
                "/api/agents/nulls",
                new StringContent("{\"name\":\"N\",\"queues\":[null]}", Encoding.UTF8, "application/json")
            ),
            HttpStatusCode.BadRequest,
            "required",
            "queues[0]"
        );

        var conversation = "{\"channel\":\"chat\",\"queueId\":\"Q\",\"customer\":{\"id\":\"c\"},REST}".Replace(
            "\"Q\"",
            JsonSerializer.Serialize(_queue),
            StringComparison.Ordinal
        );
        await AssertProblem(
            await _http.PostAsync(
                "/api/conversations",
                new StringContent(
                    conversation.Replace("REST", "\"skills\":[null]", StringComparison.Ordinal),
                    Encoding.UTF8,
                    "application/json"
                )
            ),
            HttpStatusCode.BadRequest,
            "required",
            "skills[0]"
        );
        await AssertProblem(
            await _http.PostAsync(
                "/api/conversations",
                new StringContent(
                    conversation.Replace("REST", "\"attributes\":{\"order\":null}", StringComparison.Ordinal),
                    Encoding.UTF8,
                    "application/json"
                )
            ),
            HttpStatusCode.BadRequest,
            "required",
            "attributes.order"
        );

        Assert.Equal("A", (await (await _http.GetAsync($"/api/agents/{agent}")).Body()).GetProperty("name").GetString());
        await AssertProblem(await _http.GetAsync("/api/agents/nulls"), HttpStatusCode.NotFound, "agent-not-found", "agentId");
        Assert.Equal(0, await Waiting());
    }
}
