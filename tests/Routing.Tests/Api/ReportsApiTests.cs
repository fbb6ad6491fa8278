using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Api;

/// <summary><c>GET /api/reports/intervals</c>: a scripted stretch of a day, reported as JSON and as CSV.</summary>
public sealed class ReportsApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 11, 8, 0, 0, TimeSpan.Zero);
    private readonly ApiFactory _api = new() { Time = new FakeTimeProvider(Start) };
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _http = _api.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task TheReportCountsTheScriptedDayAndTheCsvSaysTheSameAsTheJson()
    {
        await _http.Put(
            "/api/queues/sales",
            new
            {
                name = "Sales",
                serviceLevel = new { targetSeconds = 20, percent = 80 },
                wrapUpSeconds = new { chat = 0 },
            }
        );
        await _http.Put("/api/agents/amy", new { name = "Amy", queues = new[] { new { queueId = "sales" } } });
        await _http.Post("/api/agents/amy/status", new { status = "Available" });
        var answered = await Create("c1");
        await _api.Events.WaitAsync<ConversationStateChanged>(
            GrainKeys.DefaultWorkspace,
            e => e.ConversationId == answered && e.State == ConversationState.Offered
        );
        Advance(5);
        await _http.Post($"/api/conversations/{answered}/accept", new { agentId = "amy" });
        Advance(60);
        await _http.Post($"/api/conversations/{answered}/complete", new { agentId = "amy", disposition = "sold" });
        await _http.Post($"/api/conversations/{answered}/rating", new { score = 4 });
        await _http.Post("/api/agents/amy/status", new { status = "Away" });
        var left = await Create("c2");
        Advance(3);
        await _http.Post($"/api/conversations/{left}/abandon");

        var query =
            $"/api/reports/intervals?from={Uri.EscapeDataString(Start.ToString("O"))}"
            + $"&to={Uri.EscapeDataString(Start.AddMinutes(30).ToString("O"))}&interval=15m&by=queue";
        var json = await (await _http.GetAsync(query)).Body();
        var csvRequest = new HttpRequestMessage(HttpMethod.Get, query) { Headers = { { "Accept", "text/csv" } } };
        var csvResponse = await _http.SendAsync(csvRequest);
        var csv = await csvResponse.Content.ReadAsStringAsync();

        var row = Assert.Single(json.GetProperty("rows").EnumerateArray());
        Assert.Equal("sales", row.GetProperty("key").GetString());
        Assert.Equal((2, 1, 1, 1), (Int(row, "offered"), Int(row, "connected"), Int(row, "abandoned"), Int(row, "shortAbandoned")));
        Assert.Equal(
            (5.0, 60.0, 0.0),
            (Num(row, "averageSpeedOfAnswerSeconds"), Num(row, "averageTalkSeconds"), Num(row, "averageWrapUpSeconds"))
        );
        Assert.Equal(100.0, Num(row, "serviceLevelPercent")); // answered in 5 s; the 3 s abandon is short
        Assert.Equal((4.0, 1, 0), (Num(row, "csatAverage"), Int(row, "csatCount"), Int(row, "transfers")));

        Assert.Equal("text/csv; charset=utf-8", csvResponse.Content.Headers.ContentType!.ToString());
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var header = lines[0].Split(',');
        var values = lines[1].Split(',');
        Assert.Equal("queue", header[2]);
        foreach (var (name, value) in header.Zip(values))
        {
            var expected = row.GetProperty(name == "queue" ? "key" : name);
            switch (expected.ValueKind)
            {
                case JsonValueKind.String when name is "start" or "end":
                    Assert.Equal(expected.GetDateTimeOffset(), DateTimeOffset.Parse(value, CultureInfo.InvariantCulture));
                    break;
                case JsonValueKind.String:
                    Assert.Equal(expected.GetString(), value);
                    break;
                case JsonValueKind.Number:
                    Assert.Equal(expected.GetDouble(), double.Parse(value, CultureInfo.InvariantCulture));
                    break;
                default:
                    Assert.Equal("", value);
                    break;
            }
        }
    }

    [Theory]
    [InlineData("from=yesterday&to=2026-11-12T00:00:00Z", "invalid-time", "from")]
    [InlineData("from=2026-11-12T00:00:00Z&to=2026-11-11T00:00:00Z", "invalid-period", "to")]
    [InlineData("from=2026-01-01T00:00:00Z&to=2026-11-11T00:00:00Z", "period-too-long", "to")]
    [InlineData("from=2026-11-11T00:07:00Z&to=2026-11-12T00:00:00Z", "unaligned-time", "from")]
    [InlineData("from=2026-11-11T00:00:00Z&to=2026-11-12T00:00:30Z", "unaligned-time", "to")]
    [InlineData("from=2026-11-11T00:00:00Z&to=2026-11-12T00:00:00Z&interval=7x", "invalid-interval", "interval")]
    [InlineData("from=2026-11-11T00:00:00Z&to=2026-11-12T00:00:00Z&interval=10m", "invalid-interval", "interval")]
    [InlineData("from=2026-11-11T00:00:00Z&to=2026-11-12T00:00:00Z&by=customer", "invalid-by", "by")]
    public async Task ABadReportQueryIsAProblemNamingTheField(string query, string code, string field)
    {
        var response = await _http.GetAsync("/api/reports/intervals?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Body();
        Assert.Equal((code, field), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
    }

    private static int Int(JsonElement row, string name) => row.GetProperty(name).GetInt32();

    private static double Num(JsonElement row, string name) => row.GetProperty(name).GetDouble();

    private async Task<string> Create(string customer) => (
            await (
                await _http.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "chat",
                        queueId = "sales",
                        customer = new { id = customer },
                    }
                )
            ).Body()
        ).GetProperty("id").GetString()!;

    private void Advance(int seconds) => _api.Time!.Advance(TimeSpan.FromSeconds(seconds));
}
