using Routing.Client;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Security;

/// <summary>
/// A customer's token travels in the hub's query string (browsers cannot set headers on WebSockets), so whatever logs
/// request URLs would write it down; no log record may hold it, at any level.
/// </summary>
public sealed class TokenLogTests : IAsyncLifetime
{
    // Every ASP.NET Core log at its most talkative, as an operator chasing a problem might set it.
    private readonly ApiFactory _api = new()
    {
        Settings =
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace",
            ["Logging:Routing.Tests.Infrastructure.LogCapture:LogLevel:Default"] = "Trace", // a rule for one provider wins over rules for all
        },
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task ACustomersTokenNeverReachesTheLogs()
    {
        var http = _api.CreateClient();
        await http.Put("/api/queues/tokens", new { name = "Tokens" });
        var created = await (await http.Post("/api/conversations", new { channel = "chat", queueId = "tokens", customer = new { id = "t1" } })).Body();
        var token = created.GetProperty("customerToken").GetString()!;
        var realtime = _api.Realtime();
        await using (var customer = new CustomerConnection(realtime, token))
        {
            await customer.StartAsync();
            await customer.SendMessageAsync("hello");
        }
        await using var forged = new CustomerConnection(realtime, token + "x");
        await Assert.ThrowsAnyAsync<Exception>(() => forged.StartAsync());

        Assert.NotEmpty(_api.Logs.Records);
        Assert.DoesNotContain(_api.Logs.Records, r => r.Message.Contains(token, StringComparison.Ordinal)
            || r.Scope.Any(p => p.Value?.ToString()?.Contains(token, StringComparison.Ordinal) == true)
            || r.Exception?.ToString().Contains(token, StringComparison.Ordinal) == true);
    }
}
