using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Routing.Contracts;
using Routing.Grains;
using Routing.Tests.Infrastructure;
using Routing.Tests.Observability;

namespace Routing.Tests.Knowledge;

/// <summary>
/// The self-service step through the API (docs/self-service.md): a chat in a <c>bot-first</c> queue is answered from the
/// knowledge base and, taking the answer, ends Resolved; asking for a person, or asking what the knowledge base cannot
/// answer, puts it in line with the exchange in its transcript, waiting from then; the interval report counts all of it.
/// </summary>
public sealed class SelfServiceApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 11, 8, 0, 0, TimeSpan.Zero);
    private readonly ApiFactory _api = new() { Time = new FakeTimeProvider(Start) };
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _http = _api.CreateClient();
        Assert.Equal(
            HttpStatusCode.Created,
            (
                await _http.Put(
                    "/api/queues/help",
                    new
                    {
                        name = "Help",
                        selfService = "bot-first",
                        wrapUpSeconds = new { chat = 0 },
                    }
                )
            ).StatusCode
        );
        await _http.Put(
            "/api/knowledge/articles/kb-return",
            new
            {
                title = "How do I return a parcel?",
                questions = new[] { "send a parcel back", "return label", "退货" },
                answer = "Print the return label from your order page, {customer.name}.",
                topic = "returns",
                language = "en",
            }
        );
        await _http.Put("/api/agents/amy", new { name = "Amy", queues = new[] { new { queueId = "help" } } });
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task TheBotAnswersTakingTheAnswerResolvesItAndAskingForAPersonPutsItInLineWithTheExchange()
    {
        var deflected = await CreateAsync("How do I return a parcel?");
        Assert.Equal("SelfService", deflected.GetProperty("state").GetString());
        var answer = (await GetAsync(deflected)).GetProperty("transcript").EnumerateArray().Last();
        Assert.Equal(("bot", "kb-return"), (answer.GetProperty("from").GetString(), answer.GetProperty("articleId").GetString()));
        Assert.StartsWith("How do I return a parcel?\n", answer.GetProperty("text").GetString(), StringComparison.Ordinal);

        Advance(30);
        var notGiven = await _http.Post($"/api/conversations/{Id(deflected)}/resolve", new { articleId = "kb-other" });
        Assert.Equal(HttpStatusCode.BadRequest, notGiven.StatusCode);
        Assert.Equal("article-not-given", (await notGiven.Body()).GetProperty("code").GetString());
        var resolved = await (await _http.Post($"/api/conversations/{Id(deflected)}/resolve", new { articleId = "kb-return" })).Body();
        Assert.Equal(
            ("Resolved", "kb-return"),
            (resolved.GetProperty("state").GetString(), resolved.GetProperty("disposition").GetString())
        );

        var asked = await CreateAsync("How do I return a parcel?");
        Advance(10);
        await _http.Post($"/api/conversations/{Id(asked)}/messages", new { from = "customer", text = "人工" });
        var escalated = await GetAsync(asked);
        Assert.Equal("Queued", escalated.GetProperty("state").GetString());
        Assert.Equal(
            ["customer", "bot", "customer"],
            escalated.GetProperty("transcript").EnumerateArray().Select(m => m.GetProperty("from").GetString())
        );
        Assert.Equal("asked-for-agent", escalated.GetProperty("timeline").EnumerateArray().Last().GetProperty("reason").GetString());
        var again = await _http.Post($"/api/conversations/{Id(asked)}/escalate");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("not-in-self-service", (await again.Body()).GetProperty("code").GetString());

        var unanswered = await CreateAsync("Why is the sky green on Tuesdays?");
        Assert.Equal("Queued", unanswered.GetProperty("state").GetString());
        Assert.Equal(
            "no-answer",
            (await GetAsync(unanswered)).GetProperty("timeline").EnumerateArray().Last().GetProperty("reason").GetString()
        );

        // The agent is offered the escalated conversation and sees the exchange; its wait counts from the escalation.
        await _http.Post("/api/agents/amy/status", new { status = "Available" });
        await _api.Events.WaitAsync<ConversationStateChanged>(
            GrainKeys.DefaultWorkspace,
            e => e.ConversationId == Id(asked) && e.State == ConversationState.Offered
        );
        Advance(5);
        await _http.Post($"/api/conversations/{Id(asked)}/accept", new { agentId = "amy" });

        // A customer who leaves the step is no queue's abandon: not in the report, the live figures or the metrics.
        var left = await CreateAsync("return label");
        Assert.Equal("SelfService", left.GetProperty("state").GetString());
        var abandoned = await (await _http.Post($"/api/conversations/{Id(left)}/abandon")).Body();
        Assert.Equal("Abandoned", abandoned.GetProperty("state").GetString());

        var row = (await ReportAsync()).GetProperty("rows").EnumerateArray().Single();
        Assert.Equal(
            (4, 1, 2, 2, 1, 0),
            (
                row.GetProperty("selfServed").GetInt32(),
                row.GetProperty("deflected").GetInt32(),
                row.GetProperty("escalated").GetInt32(),
                row.GetProperty("offered").GetInt32(),
                row.GetProperty("connected").GetInt32(),
                row.GetProperty("abandoned").GetInt32()
            )
        );
        Assert.Equal(5, row.GetProperty("averageSpeedOfAnswerSeconds").GetDouble()); // from the escalation, not the creation
        Assert.Equal((30 + 10 + 0) / 3.0, row.GetProperty("averageSelfServiceSeconds").GetDouble(), 3);

        var keywords = await (
            await _http.GetAsync(
                $"/api/reports/keywords?from={Uri.EscapeDataString(Start.ToString("O"))}"
                    + $"&to={Uri.EscapeDataString(Start.AddHours(1).ToString("O"))}&interval=1h&top=1"
            )
        ).Body();
        var first = keywords.GetProperty("rows").EnumerateArray().Single();
        Assert.Equal(("return", 3), (first.GetProperty("term").GetString(), first.GetProperty("conversations").GetInt32()));

        var live = await (await _http.GetAsync("/api/queues/help/stats")).Body(); // the dashboard's figures
        Assert.Equal(
            (1, 2, 0),
            (live.GetProperty("deflected").GetInt32(), live.GetProperty("escalated").GetInt32(), live.GetProperty("abandoned").GetInt32())
        );

        var period = $"from={Uri.EscapeDataString(Start.ToString("O"))}&to={Uri.EscapeDataString(Start.AddHours(1).ToString("O"))}";
        var report = (await (await _http.GetAsync($"/api/knowledge/unanswered?{period}")).Body()).GetProperty("questions");
        Assert.Equal(
            [("help", "Why is the sky green on Tuesdays?")],
            report.EnumerateArray().Select(q => (q.GetProperty("queueId").GetString(), q.GetProperty("text").GetString()))
        );
        var csv = await _http.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, $"/api/knowledge/unanswered?{period}") { Headers = { { "Accept", "text/csv" } } }
        );
        Assert.EndsWith(",Why is the sky green on Tuesdays?\r\n", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var backwards = await _http.GetAsync(
            $"/api/knowledge/unanswered?from={Uri.EscapeDataString(Start.ToString("O"))}&to=2020-01-01T00:00:00Z"
        );
        Assert.Equal("invalid-period", (await backwards.Body()).GetProperty("code").GetString());

        var metrics = new PrometheusText(await _http.GetStringAsync("/metrics"));
        var help = ("queue", "help");
        Assert.Equal(
            (4, 1, 1, 1, 3, 0),
            (
                metrics.Sum("routing_self_service_started_total", help),
                metrics.Sum("routing_self_service_deflected_total", help),
                metrics.Sum("routing_self_service_escalated_total", help, ("reason", "asked-for-agent")),
                metrics.Sum("routing_self_service_escalated_total", help, ("reason", "no-answer")),
                metrics.Sum("routing_self_service_seconds_count", help),
                metrics.Sum("routing_conversations_abandoned_total", help)
            )
        );
    }

    [Fact]
    public async Task SuggestionsAreTheGoodAnswersToWhatIsTypedWriteNothingAndStopWithTheStep()
    {
        await _http.Put("/api/queues/suggest", new { name = "Suggest", selfService = "suggest" }); // the metrics are the process's
        var conversation = await CreateAsync(message: null, "suggest"); // no question yet: no answer, no escalation
        var path = $"/api/conversations/{Id(conversation)}/suggestions";
        var before = (await GetAsync(conversation)).GetProperty("transcript").GetArrayLength();

        var found = await (await _http.GetAsync($"{path}?q={Uri.EscapeDataString("return a parcel")}")).Body();
        Assert.True(found.ValueKind == JsonValueKind.Array, found.GetRawText());
        Assert.Equal(["kb-return"], found.EnumerateArray().Select(s => s.GetProperty("articleId").GetString()));
        Assert.Equal("How do I return a parcel?", found[0].GetProperty("title").GetString());
        Assert.Equal(0, (await (await _http.GetAsync($"{path}?q=purple+elephants")).Body()).GetArrayLength());
        Assert.Equal(before, (await GetAsync(conversation)).GetProperty("transcript").GetArrayLength());
        var missing = await _http.GetAsync(path);
        Assert.Equal((HttpStatusCode.BadRequest, "required"), (missing.StatusCode, (await missing.Body()).GetProperty("code").GetString()));

        await _http.Post($"/api/conversations/{Id(conversation)}/escalate", new { });
        var after = await _http.GetAsync($"{path}?q=return");
        Assert.Equal(HttpStatusCode.Conflict, after.StatusCode);
        Assert.Equal("not-in-self-service", (await after.Body()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AConversationLeftIdleInTheStepEndsAtItsQueuesLineCheckAndOneStillTalkingDoesNot()
    {
        // Its own queue: the metrics of the process are shared with the other tests.
        await _http.Put("/api/queues/idle", new { name = "Idle", selfService = "bot-first" });
        var idle = await CreateAsync("How do I return a parcel?", "idle");
        Advance(300);
        var talking = await CreateAsync("How do I return a parcel?", "idle");
        Advance(200);
        await _http.Post($"/api/conversations/{Id(talking)}/messages", new { from = "customer", text = "return label" });
        Advance(101); // the first has had nothing written for 601 s, over the 600 s default; the second for 101 s

        await _api.Grains.QueueCallbacks(GrainKeys.DefaultWorkspace, "idle").CheckLineAsync();

        var ended = await GetAsync(idle);
        Assert.Equal("Abandoned", ended.GetProperty("state").GetString());
        Assert.Equal("self-service-idle", ended.GetProperty("timeline").EnumerateArray().Last().GetProperty("reason").GetString());
        Assert.Equal("SelfService", (await GetAsync(talking)).GetProperty("state").GetString());
        // The step ended for want of activity: no customer gave up waiting for a person.
        var row = (await ReportAsync()).GetProperty("rows").EnumerateArray().Single();
        Assert.Equal((2, 0), (row.GetProperty("selfServed").GetInt32(), row.GetProperty("abandoned").GetInt32()));
    }

    [Fact]
    public async Task AFullLineKeepsAnEscalationInTheStepTheAssistantSaysSoAndTheButtonIsRefusedWithQueueFull()
    {
        await _http.Put(
            "/api/queues/small",
            new
            {
                name = "Small",
                selfService = "bot-first",
                maxLength = 1,
            }
        );
        var email = await (
            await _http.Post(
                "/api/conversations",
                new
                {
                    channel = "email",
                    queueId = "small",
                    customer = new { id = "c-mail" },
                }
            )
        ).Body();
        Assert.Equal("Queued", email.GetProperty("state").GetString()); // the line holds its one

        var typed = await _http.Post(
            "/api/conversations",
            new
            {
                channel = "chat",
                queueId = "small",
                customer = new { id = "c-typed" },
                message = "转人工",
            }
        );
        Assert.Equal(HttpStatusCode.Created, typed.StatusCode); // the message is taken; the escalation is not
        var inStep = await GetAsync(await typed.Body());
        Assert.Equal("SelfService", inStep.GetProperty("state").GetString());
        var said = inStep.GetProperty("transcript").EnumerateArray().Last();
        Assert.Equal("bot", said.GetProperty("from").GetString());
        Assert.Contains("排队人数已满", said.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, said.GetProperty("articleId").ValueKind);

        var refused = await _http.Post($"/api/conversations/{Id(inStep)}/escalate", new { });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("queue-full", (await refused.Body()).GetProperty("code").GetString());
        var unchanged = await GetAsync(inStep);
        Assert.Equal(
            ("SelfService", 2),
            (unchanged.GetProperty("state").GetString(), unchanged.GetProperty("transcript").GetArrayLength())
        );

        await _http.Post($"/api/conversations/{Id(email)}/abandon", new { });
        var escalated = await _http.Post($"/api/conversations/{Id(inStep)}/escalate", new { });
        Assert.Equal("Queued", (await escalated.Body()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task AQueueWithoutTheStepTakesChatsStraightInLineAndAnUnknownModeIsRefused()
    {
        await _http.Put("/api/queues/direct", new { name = "Direct" });
        var direct = await (
            await _http.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = "direct",
                    customer = new { id = "c-9" },
                    message = "How do I return a parcel?",
                }
            )
        ).Body();
        Assert.Equal("Queued", direct.GetProperty("state").GetString());

        var refused = await _http.Put("/api/queues/odd", new { name = "Odd", selfService = "maybe" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("unknown-self-service", (await refused.Body()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/queues/odd")).StatusCode);
    }

    private async Task<JsonElement> CreateAsync(string? message, string queueId = "help") =>
        await (
            await _http.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId,
                    customer = new { id = "c-" + Guid.NewGuid().ToString("N")[..8], name = "Li" },
                    message,
                }
            )
        ).Body();

    private async Task<JsonElement> GetAsync(JsonElement conversation) =>
        await (await _http.GetAsync($"/api/conversations/{Id(conversation)}")).Body();

    private async Task<JsonElement> ReportAsync() =>
        await (
            await _http.GetAsync(
                $"/api/reports/intervals?from={Uri.EscapeDataString(Start.ToString("O"))}"
                    + $"&to={Uri.EscapeDataString(Start.AddMinutes(15).ToString("O"))}&interval=15m&by=queue"
            )
        ).Body();

    private static string Id(JsonElement conversation) => conversation.GetProperty("id").GetString()!;

    private void Advance(int seconds) => ((FakeTimeProvider)_api.Time!).Advance(TimeSpan.FromSeconds(seconds));
}
