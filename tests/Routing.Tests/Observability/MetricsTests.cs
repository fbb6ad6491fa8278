using Microsoft.Extensions.Time.Testing;
using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Observability;

/// <summary>
/// A scripted stretch of a day under a fake routing clock, through the REST API: every counter and histogram
/// count read back from <c>/metrics</c> equals what was counted by hand.
/// </summary>
public sealed class MetricsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 11, 0, 0, 0, TimeSpan.Zero);
    private readonly ApiFactory _api = new() { Time = new FakeTimeProvider(Start) };
    private readonly string _queue = "md-" + Guid.NewGuid().ToString("N")[..8];
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _http = _api.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task EveryCounterAndHistogramCountEqualsTheScriptedDay()
    {
        var (c1, c2, c3, a1, a2, other) = await ScriptedDayAsync();

        var metrics = new PrometheusText(await _http.GetStringAsync("/metrics"));
        var here = ("queue", _queue);
        Assert.Equal(3, metrics.Sum("routing_conversations_created_total", here));
        Assert.Equal(3, metrics.Sum("routing_conversations_offered_total", here));
        Assert.Equal(2, metrics.Sum("routing_conversations_connected_total", here));
        Assert.Equal(1, metrics.Sum("routing_conversations_completed_total", here));
        Assert.Equal(1, metrics.Sum("routing_conversations_abandoned_total", here));
        Assert.Equal(1, metrics.Sum("routing_offers_declined_total", here));
        Assert.Equal(0, metrics.Sum("routing_offers_timed_out_total", here));
        Assert.Equal(1, metrics.Sum("routing_conversations_transferred_total", ("queue", other)));
        Assert.Equal(
            (3, 15),
            (metrics.Sum("routing_enqueue_to_offer_seconds_count", here), metrics.Sum("routing_enqueue_to_offer_seconds_sum", here))
        );
        Assert.Equal(
            (2, 10),
            (metrics.Sum("routing_wait_to_connect_seconds_count", here), metrics.Sum("routing_wait_to_connect_seconds_sum", here))
        );
        Assert.Equal((1, 60), (metrics.Sum("routing_handle_seconds_count", here), metrics.Sum("routing_handle_seconds_sum", here)));
        Assert.Equal((1, 10), (metrics.Sum("routing_wrap_up_seconds_count", here), metrics.Sum("routing_wrap_up_seconds_sum", here)));
        // Every bucket from 10 ms to 10 min is there; 5 s waits fall in the 5 s bucket, not the 2.5 s one.
        Assert.Equal(2, metrics.Sum("routing_wait_to_connect_seconds_bucket", here, ("le", "5")));
        Assert.Equal(0, metrics.Sum("routing_wait_to_connect_seconds_bucket", here, ("le", "2.5")));
        Assert.Equal(0, metrics.Sum("routing_wait_to_connect_seconds_bucket", here, ("le", "0.01")));
        Assert.Equal(2, metrics.Sum("routing_wait_to_connect_seconds_bucket", here, ("le", "600")));
        // No metric is labelled by a conversation, customer or agent.
        Assert.DoesNotContain(metrics.LabelValues, v => new[] { c1, c2, c3, a1, a2, "c1", "c2", "c3" }.Contains(v));
    }

    [Fact]
    public async Task EveryMetricTheGrafanaDashboardAndTheAlertRulesUseIsExported()
    {
        await ScriptedDayAsync();
        await SelfServiceAsync();
        var exported = new PrometheusText(await _http.GetStringAsync("/metrics")).Names.ToHashSet();

        var used = DeployFiles.MetricNames();

        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.True(exported.Contains(name), $"{name} is used by deploy/ but not exported at /metrics"));
    }

    /// <summary>A chat resolved by self-service and one escalated from it (docs/self-service.md).</summary>
    private async Task SelfServiceAsync()
    {
        var queue = _queue + "-self";
        await _http.Put($"/api/queues/{queue}", new { name = "Self", selfService = "bot-first" });
        await _http.Put(
            "/api/knowledge/articles/kb-hours",
            new
            {
                title = "When are you open?",
                questions = new[] { "opening hours" },
                answer = "Every day from 8 to 22.",
                language = "en",
            }
        );
        foreach (var text in new[] { "opening hours", "agent" })
        {
            var chat = await (
                await _http.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "chat",
                        queueId = queue,
                        customer = new { id = "c-self" },
                        message = text,
                    }
                )
            ).Body();
            if (text == "opening hours")
            {
                var resolved = await _http.Post(
                    $"/api/conversations/{chat.GetProperty("id").GetString()}/resolve",
                    new { articleId = "kb-hours" }
                );
                Assert.True(resolved.IsSuccessStatusCode, await resolved.Content.ReadAsStringAsync());
            }
        }
    }

    private async Task<(string C1, string C2, string C3, string A1, string A2, string Other)> ScriptedDayAsync()
    {
        var other = _queue + "-2";
        await _http.Put(
            $"/api/queues/{_queue}",
            new
            {
                name = "Q",
                wrapUpSeconds = new { chat = 10 },
                offerTimeoutSeconds = 300,
            }
        );
        await _http.Put($"/api/queues/{other}", new { name = "Q2" });
        await _http.Put(
            $"/api/agents/{_queue}-a1",
            new
            {
                name = "A1",
                capacity = new { chat = 1 },
                queues = new[] { new { queueId = _queue } },
            }
        );
        await _http.Put(
            $"/api/agents/{_queue}-a2",
            new
            {
                name = "A2",
                capacity = new { chat = 1 },
                queues = new[] { new { queueId = _queue } },
            }
        );
        string a1 = $"{_queue}-a1",
            a2 = $"{_queue}-a2";
        var c1 = await Create("c1");
        var c2 = await Create("c2");
        var c3 = await Create("c3");

        Advance(2);
        await _http.Post($"/api/conversations/{c3}/abandon"); // abandoned after 2 s
        Advance(3);
        await _http.Post($"/api/agents/{a1}/status", new { status = "Available" });
        await Offered(c1, a1); // offer 1, after 5 s
        await _http.Post($"/api/conversations/{c1}/decline", new { agentId = a1 });
        await Offered(c2, a1); // offer 2, after 5 s
        await _http.Post($"/api/conversations/{c2}/accept", new { agentId = a1 }); // connected after 5 s
        await _http.Post($"/api/agents/{a2}/status", new { status = "Available" });
        await Offered(c1, a2); // offer 3, after 5 s
        await _http.Post($"/api/conversations/{c1}/accept", new { agentId = a2 }); // connected after 5 s
        Advance(60);
        await _http.Post($"/api/conversations/{c2}/complete", new { agentId = a1 }); // talked 60 s, wrap-up 10 s
        await _http.Post($"/api/conversations/{c1}/transfer", new { agentId = a2, toQueueId = other });
        Advance(10);
        await _api.Events.WaitAsync<ConversationStateChanged>(
            GrainKeys.DefaultWorkspace,
            e => e.ConversationId == c2 && e.State == ConversationState.Completed
        );
        // The queues' once-a-second figures (gauges) have been set at least once.
        await _api.Events.WaitAsync<QueueFiguresChanged>(
            GrainKeys.DefaultWorkspace,
            e => e.QueueId == _queue && e.Stats is { Completed: 1 }
        );
        return (c1, c2, c3, a1, a2, other);
    }

    private async Task<string> Create(string customer) => (
            await (
                await _http.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "chat",
                        queueId = _queue,
                        customer = new { id = customer },
                    }
                )
            ).Body()
        ).GetProperty("id").GetString()!;

    private Task Offered(string conversationId, string agentId) =>
        _api.Events.WaitAsync<ConversationStateChanged>(
            GrainKeys.DefaultWorkspace,
            e => e.ConversationId == conversationId && e.State == ConversationState.Offered && e.AgentId == agentId
        );

    private void Advance(int seconds) => _api.Time!.Advance(TimeSpan.FromSeconds(seconds));
}
