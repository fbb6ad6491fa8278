using Routing.Client;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Security;

/// <summary>
/// Tokens travel in the hubs' query string (browsers cannot set headers on WebSockets), so whatever logs request URLs
/// would write them down; no log record may hold a token, a password or an API key, at any level. Nor what people
/// write and are called: chat text and names, which SignalR would log with each hub call's arguments.
/// </summary>
public sealed class TokenLogTests(TokenLogTests.TraceLoggingServer server) : IClassFixture<TokenLogTests.TraceLoggingServer>
{
    /// <summary>
    /// One server for the class (its tests only add what they check for, each a secret of its own, and look for it in
    /// everything logged), with every ASP.NET Core log at its most talkative, as an operator chasing a problem might set it.
    /// </summary>
    public sealed class TraceLoggingServer : IAsyncLifetime
    {
        public ApiFactory Api { get; } =
            new()
            {
                Settings =
                {
                    ["Logging:LogLevel:Default"] = "Trace",
                    ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
                    ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace",
                    // a rule for one provider wins over rules for all
                    ["Logging:Routing.Tests.Infrastructure.LogCapture:LogLevel:Default"] = "Trace",
                },
            };

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Api.DisposeAsync();
    }

    private readonly ApiFactory _api = server.Api;

    [Fact]
    public async Task ACustomersTokenNeverReachesTheLogs()
    {
        var http = _api.CreateClient();
        await http.Put("/api/queues/tokens", new { name = "Tokens" });
        var created = await (
            await http.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = "tokens",
                    customer = new { id = "t1" },
                }
            )
        ).Body();
        var token = created.GetProperty("customerToken").GetString()!;
        var realtime = _api.Realtime();
        await using (var customer = new CustomerConnection(realtime, token))
        {
            await customer.StartAsync();
            await customer.SendMessageAsync("hello");
        }
        await using var forged = new CustomerConnection(realtime, token + "x");
        await Assert.ThrowsAnyAsync<Exception>(() => forged.StartAsync());

        AssertNotLogged(token);
    }

    [Fact]
    public async Task NoPasswordAccessTokenOrApiKeyReachesTheLogs()
    {
        var admin = _api.CreateClient();
        await admin.Put("/api/queues/secrets", new { name = "Secrets" });
        await admin.Put("/api/agents/sid", new { name = "Sid", queues = new[] { new { queueId = "secrets" } } });
        const string password = "a password nobody may read";
        await admin.Put(
            "/api/accounts/sid",
            new
            {
                role = "agent",
                agentId = "sid",
                password,
            }
        );
        var anonymous = _api.CreateClient().WithToken(null);
        await anonymous.Post("/api/auth/token", new { userName = "sid", password = password + " (wrong)" });
        var signedIn = await (await anonymous.Post("/api/auth/token", new { userName = "sid", password })).Body();
        var agentToken = signedIn.GetProperty("token").GetString()!;
        var key = (await (await admin.Post("/api/keys", new { name = "crm" })).Body()).GetProperty("key").GetString()!;

        // The token in the query, as browsers send it on WebSockets, and in the header, as everything else does.
        await anonymous.Post($"/hubs/agent/negotiate?negotiateVersion=1&access_token={Uri.EscapeDataString(agentToken)}");
        var expired = TestTokens.Expired(Contracts.Access.StaffRoles.Agent, "sid");
        await anonymous.Post($"/hubs/agent/negotiate?negotiateVersion=1&access_token={Uri.EscapeDataString(expired)}");
        await using (var desk = new AgentConnection(_api.Realtime(() => Task.FromResult<string?>(agentToken)), "sid"))
        {
            await desk.StartAsync();
            await desk.SetStatusAsync(Contracts.AgentStatus.Available);
        }
        var integration = _api.CreateClient().WithToken(null);
        integration.DefaultRequestHeaders.Add("X-Api-Key", key);
        await integration.Post(
            "/api/conversations",
            new
            {
                channel = "email",
                queueId = "secrets",
                customer = new { id = "s1" },
            }
        );
        integration.DefaultRequestHeaders.Remove("X-Api-Key");
        integration.DefaultRequestHeaders.Add("X-Api-Key", key + "x");
        await integration.GetAsync("/api/queues");

        foreach (var secret in new[] { password, agentToken, TestTokens.Admin, key, key.Split(':')[^1] })
        {
            AssertNotLogged(secret);
        }
    }

    [Fact]
    public async Task NoChatTextOrNameReachesTheLogsOverRestOrHubs()
    {
        var mark = Guid.NewGuid().ToString("N")[..12];
        string Text(string where) => $"words-{mark}-{where}";
        string Name(string who) => $"name-{mark}-{who}";
        var admin = _api.CreateClient();
        await admin.Put("/api/queues/private", new { name = "Private", wrapUpSeconds = new { chat = 0 } });
        await admin.Put("/api/agents/pat", new { name = Name("agent"), queues = new[] { new { queueId = "private" } } });
        await using var desk = new AgentConnection(_api.Realtime(), "pat");
        var offers = new EventLog<Contracts.Realtime.OfferNotice>();
        desk.OfferReceived += offers.Add;
        await desk.StartAsync();
        await desk.SetStatusAsync(Contracts.AgentStatus.Available, "ready");

        var created = await (
            await admin.Post(
                "/api/conversations",
                new
                {
                    channel = "chat",
                    queueId = "private",
                    customer = new { id = "p1", name = Name("customer") },
                    message = Text("first"),
                    attributes = new { note = Text("attribute") },
                }
            )
        ).Body();
        var id = created.GetProperty("id").GetString()!;
        var customerToken = created.GetProperty("customerToken").GetString()!;
        await offers.WaitAsync(o => o.ConversationId == id);
        await desk.AcceptAsync(id);
        await desk.SendMessageAsync(id, Text("agent-hub"));
        await using (var customer = new CustomerConnection(_api.Realtime(), customerToken))
        {
            await customer.StartAsync();
            await customer.SendMessageAsync(Text("customer-hub"));
        }
        var customerHttp = _api.CreateClient().WithToken(customerToken);
        Assert.Equal(
            System.Net.HttpStatusCode.Created,
            (
                await customerHttp.Post($"/api/conversations/{id}/messages", new { from = "customer", text = Text("customer-rest") })
            ).StatusCode
        );
        Assert.Equal(
            System.Net.HttpStatusCode.Created,
            (
                await admin.Post(
                    $"/api/conversations/{id}/messages",
                    new
                    {
                        from = "agent",
                        agentId = "pat",
                        text = Text("agent-rest"),
                    }
                )
            ).StatusCode
        );
        await desk.CompleteAsync(id, "resolved");
        var chat = await _api.CreateClient()
            .WithToken(null)
            .Post(
                "/api/chat/conversations",
                new
                {
                    topicId = "private",
                    name = Name("visitor"),
                    message = Text("widget"),
                }
            );
        Assert.Equal(System.Net.HttpStatusCode.Created, chat.StatusCode);
        // every message reached the server
        Assert.Equal(5, (await (await admin.GetAsync($"/api/conversations/{id}")).Body()).GetProperty("transcript").GetArrayLength());

        AssertNotLogged(mark);
    }

    private void AssertNotLogged(string secret)
    {
        Assert.NotEmpty(_api.Logs.Records);
        var holding = _api
            .Logs.Records.Where(r =>
                r.Message.Contains(secret, StringComparison.Ordinal)
                || r.Scope.Any(p => p.Value?.ToString()?.Contains(secret, StringComparison.Ordinal) == true)
                || r.Exception?.ToString().Contains(secret, StringComparison.Ordinal) == true
            )
            .ToList();
        Assert.True(
            holding.Count == 0,
            $"{holding.Count} log records hold it, of {string.Join(", ", holding.Select(r => $"{r.Category} ({r.Level})").Distinct())}; "
                + $"the first: {holding.FirstOrDefault()?.Message}"
        );
    }
}
