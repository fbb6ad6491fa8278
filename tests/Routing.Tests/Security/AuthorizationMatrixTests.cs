using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Routing.Contracts;
using Routing.Contracts.Access;
using Routing.Contracts.Realtime;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Security;

/// <summary>
/// Every REST operation of the server's own OpenAPI document (so a new endpoint cannot be missed) and every hub
/// method, against every way a credential can be wrong: none, expired, signed with another key, a role the
/// operation does not let in, and another workspace. Each is refused — 401, 403 or 404 — and changes nothing.
/// </summary>
public sealed class AuthorizationMatrixTests : IAsyncLifetime
{
    private const string Queue = "care";
    private const string Agent = "ann";
    private const string Other = "other";

    /// <summary>The operations anyone may call: the sign-in itself, and the public chat widget.</summary>
    private static readonly HashSet<string> Anonymous =
    [
        "GetSignInMode",
        "SignIn",
        "DevSignIn",
        "ListChatTopics",
        "StartChat",
        "LeaveMessage",
    ];

    private readonly ApiFactory _api = new();
    private HttpClient _admin = null!;
    private string _conversation = "";
    private string _apiKey = "";
    private string _keyId = "";

    public async Task InitializeAsync()
    {
        _admin = _api.CreateClient();
        await _admin.Put($"/api/queues/{Queue}", new { name = "Care" });
        await _admin.Put($"/api/agents/{Agent}", new { name = "Ann", queues = new[] { new { queueId = Queue } } });
        await _admin.Put("/api/accounts/boss", new { role = "supervisor", password = "correct horse" });
        var key = await (await _admin.Post("/api/keys", new { name = "crm" })).Body();
        (_apiKey, _keyId) = (key.GetProperty("key").GetString()!, key.GetProperty("keyId").GetString()!);
        _conversation = (
            await (
                await _admin.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "chat",
                        queueId = Queue,
                        customer = new { id = "c1" },
                    }
                )
            ).Body()
        ).GetProperty("id").GetString()!;
        // The other workspace has an agent and a queue of the same names: its callers reach only those.
        var other = _api.CreateClient().WithToken(TestTokens.Staff(StaffRoles.Admin, workspace: Other));
        await other.Put($"/api/queues/{Queue}", new { name = "Elsewhere" });
        await other.Put($"/api/agents/{Agent}", new { name = "Other Ann", queues = new[] { new { queueId = Queue } } });
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task EveryOperationRefusesEveryWrongCredentialAndChangesNothing()
    {
        var document = JsonNode.Parse(await _admin.GetStringAsync("/openapi/v1.json"))!;
        var operations = Operations(document).ToList();
        Assert.True(operations.Count >= 25, $"only {operations.Count} operations in the OpenAPI document");
        var before = await FingerprintAsync();
        var checkedCases = 0;
        foreach (var op in operations)
        {
            if (op.Roles is null)
            {
                Assert.True(
                    Anonymous.Contains(op.Id),
                    $"{op} names no roles (x-roles) and is not one of the anonymous operations: give it .Allow(...)"
                );
                continue;
            }
            foreach (var (name, credential) in WrongCredentials())
            {
                await AssertRefusedAsync(op, credential, name, HttpStatusCode.Unauthorized);
                checkedCases++;
            }
            foreach (var role in AllRoles.Except(op.Roles))
            {
                await AssertRefusedAsync(op, CredentialOf(role, GrainKeys.DefaultWorkspace), $"role {role}", HttpStatusCode.Forbidden);
                checkedCases++;
            }
            foreach (var role in op.Roles)
            {
                await AssertOtherWorkspaceAsync(op, role);
                checkedCases++;
            }
        }
        Assert.Equal(before, await FingerprintAsync());
        Assert.True(checkedCases > 150, $"only {checkedCases} cases");
    }

    [Fact]
    public async Task EveryHubRefusesAConnectionWithoutAValidCredentialOrOfAnotherRole()
    {
        var hubs = new (string Path, string[] Roles)[]
        {
            ("/hubs/agent", [StaffRoles.Agent, StaffRoles.Admin]),
            ("/hubs/supervisor", [StaffRoles.Supervisor, StaffRoles.Admin]),
            ("/hubs/customer", [StaffRoles.Customer]),
        };
        foreach (var (path, roles) in hubs)
        {
            foreach (
                var (name, token) in new[]
                {
                    ("no token", (string?)null),
                    ("expired", TestTokens.Expired()),
                    ("bad signature", TestTokens.BadSignature()),
                }
            )
            {
                var refused = await Assert.ThrowsAnyAsync<HttpRequestException>(() => ConnectAsync(path, token));
                Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{path} with {name}: {refused.StatusCode}");
            }
            foreach (var role in AllRoles.Except(roles).Where(r => r != StaffRoles.Integration))
            {
                var refused = await Assert.ThrowsAnyAsync<HttpRequestException>(() =>
                    ConnectAsync(path, Token(role, GrainKeys.DefaultWorkspace))
                );
                Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{path} as {role}: {refused.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task EveryHubMethodOfAnotherWorkspaceFindsNothingOfThisOneAndChangesNothing()
    {
        var before = await FingerprintAsync();
        var calls = 0;
        foreach (
            var (path, contract, token) in new[]
            {
                ("/hubs/agent", typeof(IAgentHub), TestTokens.Agent(Agent, Other)),
                ("/hubs/supervisor", typeof(ISupervisorHub), TestTokens.Staff(StaffRoles.Supervisor, workspace: Other)),
            }
        )
        {
            await using var hub = await ConnectAsync(path, token);
            foreach (var method in contract.GetMethods())
            {
                var args = method.GetParameters().Select(Argument).ToArray();
                try
                {
                    var result = await hub.InvokeCoreAsync(method.Name, typeof(object), args);
                    var json = System.Text.Json.JsonSerializer.Serialize(result);
                    Assert.DoesNotContain(_conversation, json, StringComparison.Ordinal);
                    Assert.DoesNotContain("\"Ann\"", json, StringComparison.Ordinal);
                }
                catch (HubException e)
                {
                    Assert.Contains("not-found", e.Message, StringComparison.Ordinal);
                }
                calls++;
            }
        }
        // A customer token naming this workspace's conversation but signed for another workspace joins nothing.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var customer = await ConnectAsync("/hubs/customer", TestTokens.Customer(_conversation, Other));
            await customer.InvokeAsync<object>(nameof(ICustomerHub.SendMessage), "hello");
        });
        Assert.Equal(before, await FingerprintAsync());
        Assert.True(calls >= typeof(IAgentHub).GetMethods().Length + typeof(ISupervisorHub).GetMethods().Length);
    }

    private static readonly string[] AllRoles =
    [
        StaffRoles.Admin,
        StaffRoles.Supervisor,
        StaffRoles.Agent,
        StaffRoles.Integration,
        StaffRoles.Customer,
    ];

    private static IEnumerable<(string Name, Action<HttpRequestMessage> Credential)> WrongCredentials() =>
        [
            ("no token", _ => { }),
            ("an expired token", m => m.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Expired())),
            ("a token of another key", m => m.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.BadSignature())),
            ("a forged API key", m => m.Headers.Add("X-Api-Key", $"rk:default:{Guid.NewGuid():N}:secret")),
            ("a garbled token", m => m.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not.a.token")),
        ];

    private string Token(string role, string workspace) =>
        role switch
        {
            StaffRoles.Agent => TestTokens.Agent(Agent, workspace),
            StaffRoles.Customer => TestTokens.Customer(_conversation, workspace),
            _ => TestTokens.Staff(role, workspace: workspace),
        };

    private Action<HttpRequestMessage> CredentialOf(string role, string workspace) =>
        role == StaffRoles.Integration
            ? m => m.Headers.Add("X-Api-Key", workspace == GrainKeys.DefaultWorkspace ? _apiKey : OtherWorkspaceKey)
            : m => m.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(role, workspace));

    private string OtherWorkspaceKey { get; set; } = "";

    private async Task AssertRefusedAsync(Operation op, Action<HttpRequestMessage> credential, string name, HttpStatusCode expected)
    {
        using var client = _api.CreateClient().WithToken(null);
        using var response = await client.SendAsync(Request(op, credential));
        Assert.True(
            response.StatusCode == expected,
            $"{op} with {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}"
        );
        var problem = await response.Body();
        Assert.Equal(expected == HttpStatusCode.Unauthorized ? "unauthorized" : "forbidden", problem.GetProperty("code").GetString());
    }

    /// <summary>
    /// A caller of another workspace, in a role the operation lets in: this workspace's ids are not there (404), lists
    /// hold none of its items, and what it creates is its own.
    /// </summary>
    private async Task AssertOtherWorkspaceAsync(Operation op, string role)
    {
        if (role == StaffRoles.Integration && OtherWorkspaceKey.Length == 0)
        {
            var other = _api.CreateClient().WithToken(TestTokens.Staff(StaffRoles.Admin, workspace: Other));
            OtherWorkspaceKey = (await (await other.Post("/api/keys", new { name = "other" })).Body()).GetProperty("key").GetString()!;
        }
        using var client = _api.CreateClient().WithToken(null);
        using var response = await client.SendAsync(Request(op, CredentialOf(role, Other)));
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        Assert.True(status < 500, $"{op} as {role} of another workspace: {status} {text}");
        Assert.True(status != 401, $"{op} as {role} of another workspace: {status} {text}");
        // The other workspace has a queue, an agent and (once created above) an account of the same names; the
        // conversation and the key exist only here.
        if (op.Path.Contains("{conversationId}", StringComparison.Ordinal) || op.Path.Contains("{keyId}", StringComparison.Ordinal))
        {
            Assert.True(status is 404 or 403, $"{op} as {role} of another workspace: {status} {text}");
        }
        var shown = status < 300 && op.Id != "GetCaller" ? text : ""; // GetCaller echoes the caller's own claims
        Assert.False(
            shown.Contains(_conversation, StringComparison.Ordinal)
                || shown.Contains(_keyId, StringComparison.Ordinal)
                || (op.Method != "put" && shown.Contains("\"boss\"", StringComparison.Ordinal)),
            $"{op} as {role} of another workspace shows this one's data: {text}"
        );
    }

    private HttpRequestMessage Request(Operation op, Action<HttpRequestMessage> credential)
    {
        var path = op
            .Path.Replace("{queueId}", Queue, StringComparison.Ordinal)
            .Replace("{agentId}", Agent, StringComparison.Ordinal)
            .Replace("{conversationId}", _conversation, StringComparison.Ordinal)
            .Replace("{userName}", "boss", StringComparison.Ordinal)
            .Replace("{keyId}", _keyId, StringComparison.Ordinal)
            .Replace("{replyId}", "thanks", StringComparison.Ordinal);
        if (op.Id == "ReportIntervals")
        {
            path += "?from=2026-11-11T00:00:00Z&to=2026-11-11T01:00:00Z&interval=15m&by=queue";
        }
        if (op.Id == "SuggestAnswers")
        {
            path += "?q=refund";
        }
        var message = new HttpRequestMessage(new HttpMethod(op.Method.ToUpperInvariant()), path);
        if (Body(op.Id) is { } body)
        {
            message.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        credential(message);
        return message;
    }

    /// <summary>A valid body for each operation that takes one, so a refusal is about the credential and not the body.</summary>
    private static string? Body(string operationId) =>
        operationId switch
        {
            "PutQueue" => """{"name":"Renamed"}""",
            "PutAgent" => """{"name":"Renamed","queues":[{"queueId":"care"}]}""",
            "SetAgentStatus" => """{"status":"Available"}""",
            "CreateConversation" => """{"channel":"chat","queueId":"care","customer":{"id":"c2"}}""",
            "AcceptOffer" or "DeclineOffer" or "FinishWrapUp" => """{"agentId":"ann"}""",
            "AddMessage" => """{"from":"customer","text":"hello"}""",
            "CompleteConversation" => """{"agentId":"ann","disposition":"resolved"}""",
            "TransferConversation" => """{"agentId":"ann","toQueueId":"care"}""",
            "MoveConversation" => """{"toQueueId":"care"}""",
            "RateConversation" => """{"score":5}""",
            "WhisperToAgent" or "AddNote" => """{"text":"psst"}""",
            "ResolveConversation" => """{"articleId":"kb-1"}""",
            "SetAccount" => """{"role":"supervisor","password":"another password"}""",
            "CreateApiKey" => """{"name":"more"}""",
            "PutSavedReply" => """{"title":"Thanks","text":"Thank you for waiting."}""",
            _ => null,
        };

    private object? Argument(ParameterInfo parameter) =>
        parameter.Name switch
        {
            "conversationId" => _conversation,
            "queueId" or "toQueueId" => Queue,
            "agentId" => Agent,
            "text" => "hello",
            "status" => Contracts.AgentStatus.Away,
            _ => parameter.ParameterType.IsValueType ? Activator.CreateInstance(parameter.ParameterType) : null,
        };

    private async Task<HubConnection> ConnectAsync(string path, string? token)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(
                new Uri(_api.Server.BaseAddress, path),
                o =>
                {
                    o.HttpMessageHandlerFactory = _ => _api.Server.CreateHandler();
                    o.Transports = HttpTransportType.LongPolling;
                    o.AccessTokenProvider = () => Task.FromResult(token);
                }
            )
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()))
            .Build();
        try
        {
            await hub.StartAsync();
            return hub;
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
    }

    /// <summary>Everything of the default workspace a refused request must leave as it was.</summary>
    private async Task<string> FingerprintAsync()
    {
        var conversation = JsonNode.Parse(await _admin.GetStringAsync($"/api/conversations/{_conversation}"))!.AsObject();
        foreach (
            var moving in conversation
                .Select(p => p.Key)
                .Where(k => k.Contains("wait", StringComparison.OrdinalIgnoreCase) || k == "position")
                .ToList()
        )
        {
            conversation.Remove(moving);
        }
        return await _admin.GetStringAsync("/api/queues")
            + await _admin.GetStringAsync("/api/agents")
            + conversation.ToJsonString()
            + await _admin.GetStringAsync("/api/accounts")
            + await _admin.GetStringAsync("/api/keys");
    }

    private static IEnumerable<Operation> Operations(JsonNode document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var roles = operation!["x-roles"]?.AsArray().Select(r => r!.GetValue<string>()).ToArray();
                yield return new Operation(method, path, operation["operationId"]!.GetValue<string>(), roles);
            }
        }
    }

    private sealed record Operation(string Method, string Path, string Id, string[]? Roles)
    {
        public override string ToString() => $"{Method.ToUpperInvariant()} {Path} ({Id})";
    }
}
