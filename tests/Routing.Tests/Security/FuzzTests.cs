using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.Extensions.Time.Testing;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Security;

/// <summary>
/// Every operation of the server's own OpenAPI document (so a new endpoint is fuzzed without anyone remembering to)
/// with generated route values and bodies — well-formed and not, of the right shape and not: never a 5xx, and a
/// rejected request changes nothing.
/// </summary>
[Trait("Speed", "Slow")]
public sealed class FuzzTests : IAsyncLifetime
{
    private const string Queue = "fz",
        Agent = "fa";

    // Routing time stands still, and the plausible values never make the agent Available: nothing an accepted request
    // sets going (an offer, its timeout, a wrap-up) can change the state while a later, refused request is checked.
    private readonly ApiFactory _api = new() { Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 11, 0, 0, 0, TimeSpan.Zero)) };
    private HttpClient _http = null!;
    private string _conversation = "";

    public async Task InitializeAsync()
    {
        _http = _api.CreateClient();
        await _http.Put($"/api/queues/{Queue}", new { name = "Fuzz" });
        await _http.Put($"/api/agents/{Agent}", new { name = "Fay", queues = new[] { new { queueId = Queue } } });
        _conversation = (
            await (
                await _http.Post(
                    "/api/conversations",
                    new
                    {
                        channel = "chat",
                        queueId = Queue,
                        customer = new { id = "c" },
                    }
                )
            ).Body()
        ).GetProperty("id").GetString()!;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task NoGeneratedRequestGetsA5xxAndNoRejectedOneChangesAnything()
    {
        var document = JsonNode.Parse(await _http.GetStringAsync("/openapi/v1.json"))!;
        var operations = Operations(document).ToList();
        Assert.True(operations.Count >= 15, $"only {operations.Count} operations in the OpenAPI document");

        var gen = Gen.Int[0, operations.Count - 1].SelectMany(i => Request(document, operations[i]));
        await gen.SampleAsync(
            async request =>
            {
                var mutating = request.Method != HttpMethod.Get;
                var before = mutating ? await FingerprintAsync() : null;
                using var message = new HttpRequestMessage(request.Method, request.Path);
                if (request.Body is not null)
                {
                    message.Content = new StringContent(request.Body, Encoding.UTF8, "application/json");
                }
                using var response = await _http.SendAsync(message);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True((int)response.StatusCode < 500, $"{request}: {(int)response.StatusCode} {text}");
                if (mutating && (int)response.StatusCode >= 400)
                {
                    Assert.True(
                        before == await FingerprintAsync(),
                        $"{request} was refused ({(int)response.StatusCode} {text}) but changed the state"
                    );
                }
            },
            iter: 1_000,
            threads: 1,
            print: r => r.ToString()
        );
    }

    /// <summary>
    /// For every body of the OpenAPI document, a <c>null</c> in each of its lists and maps, however deep: each is a 400
    /// naming the place of the null (or, where the declared type cannot hold a null, saying the body does not fit),
    /// never a 5xx, and changes nothing.
    /// </summary>
    [Fact]
    public async Task ANullInAnyListOrMapOfAnyBodyIsA400NamingItsPlaceAndChangesNothing()
    {
        var document = JsonNode.Parse(await _http.GetStringAsync("/openapi/v1.json"))!;
        var cases = new List<(string Method, string Path, NullCase Case)>();
        foreach (var (method, path, operation) in Operations(document))
        {
            if (operation["requestBody"]?["content"]?["application/json"]?["schema"] is { } schema)
            {
                var route = string.Join(
                    '/',
                    path.Split('/')
                        .Select(s =>
                            s switch
                            {
                                "{queueId}" => Queue,
                                "{agentId}" => Agent,
                                "{conversationId}" => _conversation,
                                _ when s.StartsWith('{') => "x",
                                _ => s,
                            }
                        )
                );
                cases.AddRange(NullsInside(document, schema, "", 0).Select(c => (method, route, c)));
            }
        }
        Assert.True(cases.Count >= 7, $"only {cases.Count} lists and maps in the request bodies");

        foreach (var (method, path, (body, place)) in cases)
        {
            var before = await FingerprintAsync();
            using var message = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path)
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            using var response = await _http.SendAsync(message);
            var text = await response.Content.ReadAsStringAsync();
            var request = $"{method} {path} {body.ToJsonString()}";
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.BadRequest, $"{request}: {(int)response.StatusCode} {text}");
            var problem = JsonNode.Parse(text)!;
            var fields = (
                problem["errors"]?.AsArray().Select(e => e!["field"]?.GetValue<string>()) ?? [problem["field"]?.GetValue<string>()]
            ).ToList();
            Assert.True(
                fields.Contains(place) || (string?)problem["code"] == "malformed-request",
                $"{request}: the answer does not name '{place}': {text}"
            );
            Assert.True(before == await FingerprintAsync(), $"{request} was refused but changed the state");
        }
    }

    /// <summary>A body with a null in one list or map of the schema (<paramref name="at"/>: the JSON path so far).</summary>
    private static IEnumerable<NullCase> NullsInside(JsonNode document, JsonNode schema, string at, int depth)
    {
        schema = Resolved(document, schema);
        if (depth > 3 || schema["properties"] is not JsonObject properties)
        {
            yield break;
        }
        foreach (var (name, property) in properties)
        {
            var path = at.Length == 0 ? name : $"{at}.{name}";
            foreach (var (value, place) in NullsIn(document, property!, path, depth + 1))
            {
                yield return new NullCase(new JsonObject { [name] = value }, place);
            }
        }
    }

    private static IEnumerable<NullCase> NullsIn(JsonNode document, JsonNode schema, string at, int depth)
    {
        schema = Resolved(document, schema);
        var types = schema["type"] is JsonArray many
            ? many.Select(t => t!.GetValue<string>()).ToList()
            : [schema["type"]?.GetValue<string>() ?? "object"];
        if (types.Contains("array") && schema["items"] is { } items)
        {
            yield return new NullCase(new JsonArray((JsonNode?)null), $"{at}[0]");
            foreach (var (inner, place) in NullsInside(document, items, $"{at}[0]", depth))
            {
                yield return new NullCase(new JsonArray(inner), place);
            }
        }
        if (types.Contains("object") && schema["additionalProperties"] is JsonObject)
        {
            yield return new NullCase(new JsonObject { ["k"] = null }, $"{at}.k");
        }
        foreach (var nested in NullsInside(document, schema, at, depth))
        {
            yield return nested;
        }
    }

    /// <summary>The schema a reference or a nullable <c>oneOf</c> stands for.</summary>
    private static JsonNode Resolved(JsonNode document, JsonNode schema)
    {
        if (schema["oneOf"] is JsonArray choices && choices.FirstOrDefault(c => c?["$ref"] is not null) is { } referenced)
        {
            schema = referenced;
        }
        return schema["$ref"]?.GetValue<string>() is { } reference
            ? document["components"]!["schemas"]![reference.Split('/')[^1]]!
            : schema;
    }

    private sealed record NullCase(JsonNode Value, string Place);

    /// <summary>What a rejected request must leave as it was: the queues, the agents, the seeded conversation and the line.</summary>
    private async Task<string> FingerprintAsync() =>
        await _http.GetStringAsync("/api/queues")
        + await _http.GetStringAsync("/api/agents")
        + Stable(await _http.GetStringAsync($"/api/conversations/{_conversation}"))
        + JsonNode.Parse(await _http.GetStringAsync($"/api/queues/{Queue}/stats"))!["waiting"];

    /// <summary>A conversation's view without what moves with the clock alone.</summary>
    private static string Stable(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        foreach (
            var name in node.Select(p => p.Key)
                .Where(k => k.Contains("wait", StringComparison.OrdinalIgnoreCase) || k == "position")
                .ToList()
        )
        {
            node.Remove(name);
        }
        return node.ToJsonString();
    }

    private static IEnumerable<(string Method, string Path, JsonNode Operation)> Operations(JsonNode document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (path.StartsWith("/api/", StringComparison.Ordinal) && method is "get" or "post" or "put" or "delete" or "patch")
                {
                    yield return (method, path, operation!);
                }
            }
        }
    }

    private Gen<FuzzRequest> Request(JsonNode document, (string Method, string Path, JsonNode Operation) op)
    {
        var segments = op.Path.Split('/');
        var path = Gen.Const("");
        foreach (var segment in segments.Where(s => s.Length > 0))
        {
            var value = segment.StartsWith('{') ? RouteValue(segment).Select(Uri.EscapeDataString) : Gen.Const(segment);
            path = path.SelectMany(p => value.Select(v => p + "/" + v));
        }
        var schema = op.Operation["requestBody"]?["content"]?["application/json"]?["schema"];
        var body = schema is null
            ? Gen.Frequency((9, Gen.Bool.Select(_ => (string?)null)), (1, RawBody))
            : Gen.Frequency(
                (6, Shaped(document, schema, 0).Select(n => (string?)n?.ToJsonString())),
                (2, Json(2).Select(n => (string?)(n?.ToJsonString() ?? "null"))),
                (1, RawBody)
            );
        var query = op.Path.EndsWith("/intervals", StringComparison.Ordinal) ? ReportQuery : Gen.Const("");
        return Gen.Select(path, body, query, (p, b, q) => new FuzzRequest(new HttpMethod(op.Method.ToUpperInvariant()), p + q, b));
    }

    private Gen<string> RouteValue(string segment) =>
        Gen.Frequency(
            (
                4,
                Gen.Const(
                    segment switch
                    {
                        "{queueId}" => Queue,
                        "{agentId}" => Agent,
                        "{conversationId}" => _conversation,
                        _ => "x",
                    }
                )
            ),
            (2, Gen.String),
            (1, Gen.OneOfConst("..", ".", "a b", "%00", "é", "x".PadRight(300, 'x'), "1", "-1", "null", "default/other", "<script>"))
        );

    private static readonly Gen<string?> RawBody = Gen.OneOfConst<string?>(
        "",
        "{",
        "[1,",
        "nul",
        "\"unterminated",
        "{\"a\":}",
        "123abc",
        "{\"a\":1}{}",
        "\u0000"
    );

    private static readonly Gen<string> ReportQuery = Gen.Select(
        Gen.OneOfConst("2026-11-11T00:00:00Z", "2026-11-11T00:07:00Z", "yesterday", "", "9999-12-31T23:45:00Z", "0001-01-01T00:00:00Z"),
        Gen.OneOfConst("2026-11-12T00:00:00Z", "2026-11-11T00:00:00Z", "2027-11-12T00:00:00Z", "nope"),
        Gen.OneOfConst("15m", "1h", "1d", "0m", "10m", "9999d", "x", ""),
        Gen.OneOfConst("queue", "agent", "channel", "customer", ""),
        (f, t, i, b) => $"?from={Uri.EscapeDataString(f)}&to={Uri.EscapeDataString(t)}&interval={i}&by={b}"
    );

    /// <summary>An object of the schema's properties, each present or not, of a plausible value or any value at all.</summary>
    private Gen<JsonNode?> Shaped(JsonNode document, JsonNode schema, int depth)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            schema = document["components"]!["schemas"]![reference.Split('/')[^1]]!;
        }
        if (depth > 2 || schema["properties"] is not JsonObject properties)
        {
            return Plausible(depth);
        }
        var gen = Gen.Const(new JsonObject());
        foreach (var (name, property) in properties)
        {
            var value = Gen.Frequency((6, Shaped(document, property!, depth + 1)), (3, Plausible(depth + 1)), (1, Json(1)));
            var present = Gen.Int[0, 9];
            gen = gen.SelectMany(o =>
                present.SelectMany(p =>
                    value.Select(v =>
                    {
                        var copy = (JsonObject)o.DeepClone();
                        if (p < 8)
                        {
                            copy[name] = v?.DeepClone();
                        }
                        return copy;
                    })
                )
            );
        }
        return gen.Select(o => (JsonNode?)o);
    }

    private Gen<JsonNode?> Plausible(int depth) =>
        Gen.OneOf(
            Gen.OneOfConst(
                    Queue,
                    Agent,
                    _conversation,
                    "chat",
                    "email",
                    "voice",
                    "vip",
                    "standard",
                    "Away",
                    "Offline",
                    "resolved",
                    "customer",
                    "agent",
                    "hello",
                    ""
                )
                .Select(s => (JsonNode?)JsonValue.Create(s)),
            Gen.OneOfConst(0, 1, 3, 5, 20, 80, -1, 100_000, int.MaxValue).Select(i => (JsonNode?)JsonValue.Create(i)),
            Gen.Bool.Select(b => depth > 2 || b ? null : (JsonNode?)new JsonArray(JsonValue.Create(Queue)))
        );

    private static Gen<JsonNode?> Json(int depth)
    {
        var scalar = Gen.OneOf(
            Gen.Bool.Select(_ => (JsonNode?)null),
            Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l)),
            Gen.Double[-1e9, 1e9].Select(d => (JsonNode?)JsonValue.Create(d)),
            Gen.String.Select(s => (JsonNode?)JsonValue.Create(s))
        );
        if (depth == 0)
        {
            return scalar;
        }
        var inner = Json(depth - 1);
        return Gen.Frequency(
            (5, scalar),
            (1, inner.Array[0, 4].Select(items => (JsonNode?)new JsonArray([.. items.Select(i => i?.DeepClone())]))),
            (
                1,
                Gen.Select(Gen.String[1, 12], inner)
                    .Array[0, 4]
                    .Select(pairs =>
                    {
                        var o = new JsonObject();
                        foreach (var (k, v) in pairs)
                        {
                            o[k] = v?.DeepClone();
                        }
                        return (JsonNode?)o;
                    })
            )
        );
    }

    public sealed record FuzzRequest(HttpMethod Method, string Path, string? Body)
    {
        public override string ToString() => $"{Method} {Path} {(Body is null ? "" : Body.Length > 300 ? Body[..300] + "…" : Body)}";
    }
}
