using System.Net;
using Microsoft.Extensions.Time.Testing;
using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Api;

/// <summary>
/// A queue's business hours (docs/routing.md, "Business hours") on a fake clock: a Shanghai office open Monday to Friday,
/// 09:00–18:00, closed on a holiday Monday. On a Friday evening a chat is refused with <c>queue-closed</c> and a message is
/// taken instead, its wait running to the Tuesday opening; nothing is offered through the weekend and the holiday, the
/// message is offered when the queue opens, and its answer counts as answered within the service level — closed time is
/// not charged to it. Hours that cannot be read are refused and change nothing.
/// </summary>
public sealed class BusinessHoursApiTests : IAsyncLifetime
{
    // Friday 13 November 2026, 20:00 in Shanghai.
    private static readonly DateTimeOffset FridayEvening = new(2026, 11, 13, 20, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset TuesdayOpening = new(2026, 11, 17, 9, 0, 0, TimeSpan.FromHours(8));
    private readonly FakeTimeProvider _time = new(FridayEvening);
    private readonly ApiFactory _api;
    private HttpClient _http = null!;

    public BusinessHoursApiTests() => _api = new ApiFactory { Time = _time };

    private static object Office(params string[] holidays) =>
        new
        {
            timeZone = "Asia/Shanghai",
            weekly = new[]
            {
                new
                {
                    days = new[] { "monday", "tuesday", "wednesday", "thursday", "friday" },
                    open = "09:00",
                    close = "18:00",
                },
            },
            holidays,
        };

    public async Task InitializeAsync()
    {
        _http = _api.CreateClient();
        var defined = await _http.Put("/api/queues/office", new { name = "Office", hours = Office("2026-11-16") });
        Assert.Equal(HttpStatusCode.Created, defined.StatusCode);
        await _http.Put("/api/agents/amy", new { name = "Amy", queues = new[] { new { queueId = "office" } } });
        await _http.Post("/api/agents/amy/status", new { status = "Available" });
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task OutsideHoursAChatIsRefusedAMessageWaitsForTheOpeningAndClosedTimeIsNotChargedToTheServiceLevel()
    {
        var hours = (await (await _http.GetAsync("/api/queues/office")).Body()).GetProperty("hours");
        Assert.Equal("Asia/Shanghai", hours.GetProperty("timeZone").GetString());
        Assert.Equal(["2026-11-16"], hours.GetProperty("holidays").EnumerateArray().Select(d => d.GetString()));

        var chat = await _http.Post("/api/chat/conversations", new { topicId = "office", name = "Mo" });
        Assert.Equal(HttpStatusCode.Conflict, chat.StatusCode);
        Assert.Equal("queue-closed", (await chat.Body()).GetProperty("code").GetString());
        var topic = (await (await _http.GetAsync("/api/chat/topics")).Body())
            .EnumerateArray()
            .Single(t => t.GetProperty("id").GetString() == "office");
        Assert.False(topic.GetProperty("open").GetBoolean());
        Assert.Equal(TuesdayOpening, topic.GetProperty("opensAt").GetDateTimeOffset());

        var left = await _http.Post(
            "/api/chat/messages",
            new
            {
                topicId = "office",
                name = "Mo",
                email = "mo@example.com",
                message = "Please call me back about my order.",
            }
        );
        Assert.Equal(HttpStatusCode.Created, left.StatusCode);
        var message = await left.Body();
        var id = message.GetProperty("id").GetString()!;
        Assert.Equal(("email", "Queued"), (message.GetProperty("channel").GetString(), message.GetProperty("state").GetString()));
        Assert.Equal("mo@example.com", message.GetProperty("attributes").GetProperty("email").GetString());
        var untilOpening = (TuesdayOpening - FridayEvening).TotalSeconds;
        Assert.True(message.GetProperty("estimatedWaitSeconds").GetDouble() >= untilOpening);

        // Through the weekend and the holiday Monday nothing is offered, though Amy is available.
        _time.SetUtcNow(TuesdayOpening.AddMinutes(-1));
        var closedTick = await _api.Events.WaitAsync<QueueFiguresChanged>(
            GrainKeys.DefaultWorkspace,
            e => e.QueueId == "office" && e.At >= TuesdayOpening.AddMinutes(-1)
        );
        Assert.True(closedTick.Stats!.Closed);
        Assert.Equal("Queued", (await (await _http.GetAsync($"/api/conversations/{id}")).Body()).GetProperty("state").GetString());

        // It opens: the message is offered, and answered five seconds into the opening.
        _time.SetUtcNow(TuesdayOpening.AddSeconds(1));
        await _api.Events.WaitAsync<ConversationStateChanged>(
            GrainKeys.DefaultWorkspace,
            e => e.ConversationId == id && e.State == ConversationState.Offered
        );
        _time.SetUtcNow(TuesdayOpening.AddSeconds(5));
        Assert.Equal(HttpStatusCode.OK, (await _http.Post($"/api/conversations/{id}/accept", new { agentId = "amy" })).StatusCode);
        var stats = await (await _http.GetAsync("/api/queues/office/stats")).Body();
        Assert.Equal(100, stats.GetProperty("serviceLevelPercent").GetDouble());
        Assert.Equal(5, stats.GetProperty("averageSpeedOfAnswerSeconds").GetDouble(), 0.5);
        Assert.False(stats.GetProperty("closed").GetBoolean());
        Assert.Equal(
            HttpStatusCode.Created,
            (await _http.Post("/api/chat/conversations", new { topicId = "office", name = "Li" })).StatusCode
        );
    }

    [Fact]
    public async Task HoursThatCannotBeReadAreRefusedWithTheFieldAtFaultAndChangeNothing()
    {
        foreach (
            var (hours, code, field) in new (object, string, string)[]
            {
                (
                    new
                    {
                        timeZone = "Mars/Olympus",
                        weekly = Array.Empty<object>(),
                        holidays = Array.Empty<string>(),
                    },
                    "unknown-time-zone",
                    "hours.timeZone"
                ),
                (
                    new
                    {
                        timeZone = "Asia/Shanghai",
                        weekly = new[]
                        {
                            new
                            {
                                days = new[] { "monday" },
                                open = "18:00",
                                close = "09:00",
                            },
                        },
                    },
                    "invalid-hours",
                    "hours.weekly[0].close"
                ),
                (
                    new
                    {
                        timeZone = "Asia/Shanghai",
                        weekly = new[]
                        {
                            new
                            {
                                days = new[] { "funday" },
                                open = "09:00",
                                close = "18:00",
                            },
                        },
                    },
                    "invalid-hours",
                    "hours.weekly[0].days"
                ),
                (
                    new
                    {
                        timeZone = "Asia/Shanghai",
                        weekly = new[]
                        {
                            new
                            {
                                days = new[] { "monday" },
                                open = "09:00",
                                close = "12:00",
                            },
                            new
                            {
                                days = new[] { "monday" },
                                open = "11:00",
                                close = "18:00",
                            },
                        },
                    },
                    "invalid-hours",
                    "hours.weekly"
                ),
                (new { timeZone = "Asia/Shanghai", holidays = new[] { "2026-13-01" } }, "invalid-hours", "hours.holidays[0]"),
            }
        )
        {
            var refused = await _http.Put("/api/queues/office", new { name = "Changed", hours });
            var problem = await refused.Body();
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, problem.GetRawText());
            Assert.Equal((code, field), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        }
        var unchanged = await (await _http.GetAsync("/api/queues/office")).Body();
        Assert.Equal("Office", unchanged.GetProperty("name").GetString());
        Assert.Equal("Asia/Shanghai", unchanged.GetProperty("hours").GetProperty("timeZone").GetString());

        // Without hours, the queue is always open again.
        await _http.Put("/api/queues/office", new { name = "Office" });
        Assert.Equal(
            HttpStatusCode.Created,
            (await _http.Post("/api/chat/conversations", new { topicId = "office", name = "Mo" })).StatusCode
        );
    }
}
