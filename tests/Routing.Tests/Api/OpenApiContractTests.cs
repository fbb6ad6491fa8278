using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Routing.Policy;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Api;

/// <summary>
/// The OpenAPI document tells the truth: each operation's security and the answers every one can give, and the
/// limits it states for request fields are the ones the server enforces — read from the document, then tried at the
/// limit (accepted) and one past it (refused, naming the field).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiContractTests(ApiFactory api)
{
    private static readonly HashSet<string> Anonymous =
    [
        "GetSignInMode",
        "SignIn",
        "DevSignIn",
        "ListChatTopics",
        "StartChat",
        "LeaveMessage",
    ];

    [Fact]
    public async Task EveryOperationDeclaresItsSecurityAndTheRefusalsEveryOperationCanGive()
    {
        var document = await DocumentAsync();
        var schemes = document["components"]!["securitySchemes"]!;
        Assert.Equal("bearer", schemes["bearer"]!["scheme"]!.GetValue<string>());
        Assert.Equal("JWT", schemes["bearer"]!["bearerFormat"]!.GetValue<string>());
        Assert.Equal("header", schemes["apiKey"]!["in"]!.GetValue<string>());
        Assert.Equal("X-Api-Key", schemes["apiKey"]!["name"]!.GetValue<string>());

        var operations = Operations(document).ToList();
        Assert.True(operations.Count >= 25, $"only {operations.Count} operations");
        foreach (var (id, operation) in operations)
        {
            var security = operation["security"]?.AsArray().Select(r => string.Join('+', r!.AsObject().Select(p => p.Key))).ToList() ?? [];
            var roles = operation["x-roles"]?.AsArray().Select(r => r!.GetValue<string>()).ToList();
            var responses = operation["responses"]!.AsObject();
            if (Anonymous.Contains(id))
            {
                Assert.True(security.Count == 0, $"{id} is anonymous but declares {string.Join(", ", security)}");
            }
            else
            {
                Assert.Contains("bearer", security);
                Assert.Equal(roles!.Contains("integration"), security.Contains("apiKey"));
                Assert.True(responses.ContainsKey("401") && responses.ContainsKey("403"), $"{id} declares no 401 or 403");
            }
            Assert.True(responses["429"]?["headers"]?["Retry-After"] is not null, $"{id} declares no 429 with Retry-After");
            Assert.True(responses["500"] is not null, $"{id} declares no 500");
            if (operation["requestBody"] is not null)
            {
                Assert.True(responses.ContainsKey("400") && responses.ContainsKey("413"), $"{id} takes a body but declares no 400 or 413");
            }
        }
        foreach (var create in new[] { "CreateConversation", "StartChat", "LeaveMessage" })
        {
            var unavailable = operations.Single(o => o.Id == create).Operation["responses"]!["503"];
            Assert.True(unavailable?["headers"]?["Retry-After"] is not null, $"{create} declares no 503 with Retry-After");
        }
    }

    [Fact]
    public async Task AStringAtItsStatedMaxLengthIsTakenAndOneLongerIsRefused()
    {
        var document = await DocumentAsync();
        var http = api.CreateClient();
        var max = Limit(document, "QueueRequest", "name", "maxLength");
        var queue = NewId("q");

        Assert.Equal(HttpStatusCode.Created, (await http.Put($"/api/queues/{queue}", new { name = new string('n', max) })).StatusCode);
        await AssertRefusedAsync(await http.Put($"/api/queues/{queue}", new { name = new string('n', max + 1) }), "name");

        var reasonMax = Limit(document, "StatusRequest", "reason", "maxLength");
        var agent = NewId("a");
        Assert.Equal(HttpStatusCode.Created, (await http.Put($"/api/agents/{agent}", new { name = "Ann" })).StatusCode);
        Assert.Equal(
            HttpStatusCode.OK,
            (await http.Post($"/api/agents/{agent}/status", new { status = "Away", reason = new string('r', reasonMax) })).StatusCode
        );
        await AssertRefusedAsync(
            await http.Post($"/api/agents/{agent}/status", new { status = "Away", reason = new string('r', reasonMax + 1) }),
            "reason"
        );
    }

    [Fact]
    public async Task ANumberAtItsStatedBoundsIsTakenAndOnePastThemIsRefused()
    {
        var document = await DocumentAsync();
        var http = api.CreateClient();
        var queue = NewId("q");
        var (min, max) = (
            Limit(document, "QueueRequest", "offerTimeoutSeconds", "minimum"),
            Limit(document, "QueueRequest", "offerTimeoutSeconds", "maximum")
        );

        Assert.Equal(
            HttpStatusCode.Created,
            (await http.Put($"/api/queues/{queue}", new { name = "Q", offerTimeoutSeconds = min })).StatusCode
        );
        Assert.Equal(HttpStatusCode.OK, (await http.Put($"/api/queues/{queue}", new { name = "Q", offerTimeoutSeconds = max })).StatusCode);
        await AssertRefusedAsync(
            await http.Put($"/api/queues/{queue}", new { name = "Q", offerTimeoutSeconds = min - 1 }),
            "offerTimeoutSeconds"
        );
        await AssertRefusedAsync(
            await http.Put($"/api/queues/{queue}", new { name = "Q", offerTimeoutSeconds = max + 1 }),
            "offerTimeoutSeconds"
        );

        var agent = NewId("a");
        var rankMax = Limit(document, "QueueRankDto", "rank", "maximum");
        Assert.Equal(
            HttpStatusCode.Created,
            (
                await http.Put($"/api/agents/{agent}", new { name = "Ann", queues = new[] { new { queueId = queue, rank = rankMax } } })
            ).StatusCode
        );
        await AssertRefusedAsync(
            await http.Put($"/api/agents/{agent}", new { name = "Ann", queues = new[] { new { queueId = queue, rank = rankMax + 1 } } }),
            "queues[0].rank"
        );
    }

    [Fact]
    public async Task AListAtItsStatedMaxItemsIsTakenAndOneLongerIsRefused()
    {
        var document = await DocumentAsync();
        var http = api.CreateClient();
        var queue = NewId("q");
        Assert.Equal(HttpStatusCode.Created, (await http.Put($"/api/queues/{queue}", new { name = "Q" })).StatusCode);
        var steps = Limit(document, "ConversationRequest", "skills", "maxItems");

        object Request(int count) =>
            new
            {
                channel = "email",
                queueId = queue,
                customer = new { id = "c" },
                skills = Enumerable
                    .Range(0, count)
                    .Select(i => new
                    {
                        requirements = new Dictionary<string, int> { ["billing"] = 1 },
                        seconds = i < count - 1 ? 10 : (int?)null,
                    }),
            };
        Assert.Equal(HttpStatusCode.Created, (await http.Post("/api/conversations", Request(steps))).StatusCode);
        await AssertRefusedAsync(await http.Post("/api/conversations", Request(steps + 1)), "skills");

        // An agent's queues: one past the limit is refused as too many before any queue is looked up.
        var queues = Limit(document, "AgentRequest", "queues", "maxItems");
        var tooMany = Enumerable.Range(0, queues + 1).Select(i => new { queueId = $"{queue}-{i}" });
        await AssertRefusedAsync(await http.Put($"/api/agents/{NewId("a")}", new { name = "Ann", queues = tooMany }), "queues");
    }

    [Fact]
    public async Task TheStatedRequiredFieldsAreTheOnesTheServerRequires()
    {
        var document = await DocumentAsync();
        var http = api.CreateClient();
        Assert.Equal(["name"], Required(document, "QueueRequest"));
        Assert.Equal(["channel", "customer", "queueId"], Required(document, "ConversationRequest"));

        var queue = NewId("q");
        Assert.Equal(HttpStatusCode.Created, (await http.Put($"/api/queues/{queue}", new { name = "Q" })).StatusCode);
        await AssertRefusedAsync(await http.Put($"/api/queues/{queue}", new { }), "name");
        Assert.Equal(
            HttpStatusCode.Created,
            (
                await http.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "email",
                        queueId = queue,
                        customer = new { id = "c" },
                    }
                )
            ).StatusCode
        );
        await AssertRefusedAsync(await http.Post("/api/conversations", new { channel = "email", queueId = queue }), "customer");
    }

    [Fact]
    public async Task TheStatedChoicesAreTheServersOwn()
    {
        var document = await DocumentAsync();
        Assert.Equal(SelectionMethods.Names.Order(StringComparer.Ordinal), Choices(document, "QueueRequest", "selection"));
        Assert.Equal(["chat", "email", "social", "voice"], Choices(document, "ConversationRequest", "channel"));
        Assert.Equal(["Available", "Away", "Offline"], Choices(document, "StatusRequest", "status"));
        var id = document["paths"]!["/api/queues/{queueId}"]!["get"]!["parameters"]!
            .AsArray()
            .Single(p => (string?)p!["name"] == "queueId")!["schema"]!;
        Assert.Equal(64, id["maxLength"]!.GetValue<int>());
        Assert.Equal("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", id["pattern"]!.GetValue<string>());
    }

    private async Task<JsonNode> DocumentAsync() => JsonNode.Parse(await api.CreateClient().GetStringAsync("/openapi/v1.json"))!;

    private static IEnumerable<(string Id, JsonNode Operation)> Operations(JsonNode document) =>
        document["paths"]!
            .AsObject()
            .SelectMany(path =>
                path.Value!.AsObject()
                    .Where(o => o.Key is "get" or "put" or "post" or "delete" or "patch")
                    .Select(o => (o.Value!["operationId"]!.GetValue<string>(), o.Value!))
            );

    /// <summary>A limit the document states for a request field, as a whole number.</summary>
    private static int Limit(JsonNode document, string schema, string property, string keyword)
    {
        var value = document["components"]!["schemas"]![schema]!["properties"]![property]![keyword];
        Assert.True(value is not null, $"{schema}.{property} states no {keyword}");
        return value.GetValueKind() == JsonValueKind.String
            ? int.Parse(value.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            : value.GetValue<int>();
    }

    private static List<string> Required(JsonNode document, string schema) =>
        [
            .. document["components"]!["schemas"]![schema]!["required"]!
                .AsArray()
                .Select(v => v!.GetValue<string>())
                .Order(StringComparer.Ordinal),
        ];

    private static List<string> Choices(JsonNode document, string schema, string property) =>
        document["components"]!["schemas"]![schema]!["properties"]![property]!["enum"]!
            .AsArray()
            .Where(v => v is not null)
            .Select(v => v!.GetValue<string>())
            .ToList();

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        var problem = JsonNode.Parse(text)!;
        var fields = problem["errors"]?.AsArray().Select(e => (string?)e!["field"]).ToList() ?? [(string?)problem["field"]];
        Assert.True(fields.Contains(field), $"the refusal does not name '{field}': {text}");
    }

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];
}
