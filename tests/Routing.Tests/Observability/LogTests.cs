using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Routing.Contracts;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Observability;

/// <summary>Logs name what they concern through scopes, and never carry what customers wrote or who they are.</summary>
public sealed class LogTests : IAsyncLifetime
{
    private readonly ApiFactory _api = new() { Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 11, 0, 0, 0, TimeSpan.Zero)) };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task GrainLogsCarryTheirIdsInScopeAndNoCustomersTextOrNameReachesInformation()
    {
        var http = _api.CreateClient();
        const string Name = "Zoe Privacy-Test",
            Text = "my card number is 4111 1111";
        await http.Put("/api/queues/logs", new { name = "Logs", offerTimeoutSeconds = 10 });
        await http.Put("/api/agents/lou", new { name = "Lou", queues = new[] { new { queueId = "logs" } } });
        var first = (
            await (
                await http.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "chat",
                        queueId = "logs",
                        customer = new { id = "z1", name = Name },
                        message = Text,
                    }
                )
            ).Body()
        ).GetProperty("id").GetString()!;
        await http.Post($"/api/conversations/{first}/messages", new { from = "customer", text = Text });
        await http.Post(
            "/api/conversations",
            new
            {
                channel = "chat",
                queueId = "logs",
                customer = new { id = "z2", name = Name },
            }
        );
        await http.Post("/api/agents/lou/status", new { status = "Available" });

        // Lou misses two offers in a row and is set Away: the agent grain logs it.
        for (var missed = 1; missed <= 2; missed++)
        {
            var n = missed;
            await _api.Events.WaitAsync<ConversationStateChanged>(
                GrainKeys.DefaultWorkspace,
                e => e.State == ConversationState.Offered && e.AgentId == "lou" && n-- == 1
            );
            _api.Time!.Advance(TimeSpan.FromSeconds(10));
        }
        var away = await _api.Logs.WaitAsync(r => r.Message.Contains("set Away after", StringComparison.Ordinal));

        Assert.Contains(away.Scope, p => p.Key == "AgentId" && (string?)p.Value == "lou");
        Assert.Contains(away.Scope, p => p.Key == "Workspace" && (string?)p.Value == GrainKeys.DefaultWorkspace);
        var visible = _api.Logs.Records.Where(r => r.Level >= LogLevel.Information).ToList();
        Assert.NotEmpty(visible);
        Assert.DoesNotContain(
            visible,
            r =>
                r.Message.Contains(Name, StringComparison.Ordinal)
                || r.Message.Contains(Text, StringComparison.Ordinal)
                || r.Scope.Any(p => p.Value?.ToString()?.Contains(Name, StringComparison.Ordinal) == true)
        );
    }
}
