using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Routing.Contracts;
using Routing.Grains;
using Routing.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Routing.Tests.Faults;

/// <summary>
/// Fault table, row R10 (docs/reliability.md): the wall clock steps 5 minutes forward and then back. Offer timeouts
/// run on elapsed time, so each fires once, after its own timeout; the conversation goes back in line once and the
/// agent's missed offers count once; the queue's figures (longest wait, service level, speed of answer, handle time)
/// are never negative nor NaN, though the timeline's times jump.
/// </summary>
public sealed class ClockStepTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Workspace = GrainKeys.DefaultWorkspace;
    private static readonly TimeSpan StepSize = TimeSpan.FromMinutes(5);

    private readonly SteppedClock _clock = new(new DateTimeOffset(2026, 11, 13, 10, 0, 0, TimeSpan.Zero));
    private ApiFactory _api = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _api = new ApiFactory { WithServices = services => services.AddSingleton(new RoutingClock(_clock)) };
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
                        serviceLevel = new { targetSeconds = 20, percent = 80 },
                    }
                )
            ).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.Created,
            (
                await _http.Put(
                    "/api/agents/ann",
                    new
                    {
                        name = "Ann",
                        capacity = new { chat = 2 },
                        queues = new[] { new { queueId = "care", rank = 1 } },
                    }
                )
            ).StatusCode
        );
        Assert.Equal(HttpStatusCode.OK, (await _http.Post("/api/agents/ann/status", new { status = "Available" })).StatusCode);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task AClockSteppedFiveMinutesForwardAndBackTimesEachOfferOutOnceAfterItsOwnTimeoutAndKeepsTheFiguresSane()
    {
        // Forward: an offer made just before the step times out once, 30 s after it was made.
        var first = await CreateAsync("c-first");
        await OfferedAsync(first);
        _clock.Step(StepSize);
        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("Offered", await StateAsync(first));
        _clock.Advance(TimeSpan.FromSeconds(1));
        await TimedOutAsync(first);
        Assert.Equal(1, (await GetAsync("/api/agents/ann")).GetProperty("missedOffersInRow").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await _http.Post($"/api/conversations/{first}/abandon")).StatusCode); // ann may not have it again

        // While the clock is ahead: one connected, one offered, and 10 s later one waiting behind them.
        var second = await CreateAsync("c-second");
        await OfferedAsync(second);
        Assert.Equal(HttpStatusCode.OK, (await _http.Post($"/api/conversations/{second}/accept", new { agentId = "ann" })).StatusCode);
        var third = await CreateAsync("c-third");
        await OfferedAsync(third);
        _clock.Advance(TimeSpan.FromSeconds(10));
        var fourth = await CreateAsync("c-fourth");
        Assert.Equal("Queued", await StateAsync(fourth));

        // Back: the waiting one was created "in the future", and the offer out times out 30 s after it was made, not 5 min later.
        _clock.Step(-StepSize);
        var justAfterStep = await StatsAsync();
        _clock.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal("Offered", await StateAsync(third));
        _clock.Advance(TimeSpan.FromSeconds(1));
        await TimedOutAsync(third);

        // The waiting one is connected, and both connected ones are completed: their spans straddle the step.
        await OfferedAsync(fourth);
        Assert.Equal(HttpStatusCode.OK, (await _http.Post($"/api/conversations/{fourth}/accept", new { agentId = "ann" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.Post($"/api/conversations/{second}/complete", new { agentId = "ann" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.Post($"/api/conversations/{fourth}/complete", new { agentId = "ann" })).StatusCode);

        // An offer made after the step back times out 30 s after it was made, measured from the new now.
        var fifth = await CreateAsync("c-fifth");
        await OfferedAsync(fifth);
        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("Offered", await StateAsync(fifth));
        _clock.Advance(TimeSpan.FromSeconds(1));
        await TimedOutAsync(fifth);
        Assert.Equal(1, (await GetAsync("/api/agents/ann")).GetProperty("missedOffersInRow").GetInt32()); // the accept in between reset it

        // Long past every deadline any offer had, by either clock: no alarm fires again.
        _clock.Advance(StepSize + TimeSpan.FromMinutes(1));
        var ids = new[] { first, second, third, fourth, fifth };
        var timelines = new List<List<string?>>();
        foreach (var id in ids)
        {
            timelines.Add(
                (await GetAsync($"/api/conversations/{id}"))
                    .GetProperty("timeline")
                    .EnumerateArray()
                    .Select(t => t.GetProperty("state").GetString())
                    .ToList()
            );
        }
        var timeouts = _api
            .Events.Of(Workspace)
            .OfType<ConversationStateChanged>()
            .Where(e => e.Reason == "offer-timed-out")
            .Select(e => e.ConversationId)
            .ToList();
        var repeated = timelines.Sum(t => t.Zip(t.Skip(1)).Count(p => p.First == p.Second));
        var stats = await StatsAsync();
        var mostInUse = _api.Events.Of(Workspace).OfType<AgentLoadChanged>().Where(e => e.AgentId == "ann").Max(e => e.InUse.Values.Sum());
        output.WriteLine(
            $"R10: clock stepped +5 min, then back; {timeouts.Count} offer timeouts for the 3 offers left unanswered, each once and 30 s "
                + $"after its offer in elapsed time; {repeated} transitions twice; longest wait "
                + $"{Figure(justAfterStep, "longestWaitSeconds")} s just after the step back, "
                + $"{Figure(stats, "longestWaitSeconds")} s at the end; service level {Figure(stats, "serviceLevelPercent")} %, speed "
                + $"of answer "
                + $"{Figure(stats, "averageSpeedOfAnswerSeconds")} s, handle time {Figure(stats, "averageHandleTimeSeconds")} s; ann "
                + $"held at most {mostInUse} of 2 slots"
        );

        Assert.Equal([first, third, fifth], timeouts);
        Assert.Equal(0, repeated);
        Assert.Equal(["Created", "Queued", "Offered", "Queued", "Abandoned"], timelines[0]);
        Assert.Equal(["Created", "Queued", "Offered", "Queued"], timelines[2]);
        Assert.InRange(mostInUse, 1, 2);
        foreach (
            var (figures, name) in new[]
            {
                (justAfterStep, "longestWaitSeconds"),
                (stats, "longestWaitSeconds"),
                (stats, "averageSpeedOfAnswerSeconds"),
                (stats, "averageHandleTimeSeconds"),
            }
        )
        {
            var value = figures.GetProperty(name).GetDouble();
            Assert.True(value >= 0 && double.IsFinite(value), $"{name} is {value}");
        }
        Assert.InRange(stats.GetProperty("serviceLevelPercent").GetDouble(), 0, 100);
        Assert.Equal((2, 2), (stats.GetProperty("connected").GetInt32(), stats.GetProperty("completed").GetInt32()));
    }

    private async Task<string> CreateAsync(string customer)
    {
        var created = await _http.Post(
            "/api/conversations",
            new
            {
                channel = "chat",
                queueId = "care",
                customer = new { id = customer, tier = "standard" },
            }
        );
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Body()).GetProperty("id").GetString()!;
    }

    private Task OfferedAsync(string id) =>
        _api.Events.WaitAsync<ConversationStateChanged>(
            Workspace,
            e => e.ConversationId == id && e.State == ConversationState.Offered && e.AgentId == "ann"
        );

    /// <summary>
    /// The offer timed out and ann has heard it: the conversation is back in line first, then tells ann, who counts the
    /// miss and lets go of the slot (the load change after the timeout, with nothing held).
    /// </summary>
    private async Task TimedOutAsync(string id)
    {
        var timedOut = await _api.Events.WaitAsync<ConversationStateChanged>(
            Workspace,
            e => e.ConversationId == id && e.State == ConversationState.Queued && e.Reason == "offer-timed-out"
        );
        await _api.Events.WaitAsync<AgentLoadChanged>(
            Workspace,
            e => e.AgentId == "ann" && e.At >= timedOut.At && e.InUse.Values.Sum() == 0
        );
    }

    private async Task<string?> StateAsync(string id) => (await GetAsync($"/api/conversations/{id}")).GetProperty("state").GetString();

    private Task<JsonElement> StatsAsync() => GetAsync("/api/queues/care/stats");

    private async Task<JsonElement> GetAsync(string url)
    {
        var response = await _http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Body();
    }

    private static string Figure(JsonElement figures, string name) =>
        figures.GetProperty(name).ValueKind == JsonValueKind.Number
            ? figures.GetProperty(name).GetDouble().ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)
            : "none";
}
