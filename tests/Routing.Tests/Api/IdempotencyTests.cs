using System.Net;
using Microsoft.Extensions.Time.Testing;
using Routing.Client;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Api;

/// <summary>
/// A channel integration that times out on a create and tries again must not make a second conversation: with an
/// <c>Idempotency-Key</c> the retry answers the first result (docs/reliability.md, "Idempotent creates").
/// </summary>
public sealed class IdempotencyTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 11, 0, 0, 0, TimeSpan.Zero));
    private readonly ApiFactory _api;
    private HttpClient _http = null!;

    public IdempotencyTests() => _api = new ApiFactory { Time = _time };

    public async Task InitializeAsync()
    {
        _http = _api.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await _http.Put("/api/queues/orders", new { name = "Orders" })).StatusCode);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static object Request(string customer = "c-1") =>
        new
        {
            channel = "chat",
            queueId = "orders",
            customer = new
            {
                id = customer,
                name = "Li Lei",
                tier = "gold",
            },
            message = "where is my parcel?",
        };

    private Task<HttpResponseMessage> CreateAsync(string? key, object body, string url = "/api/conversations", HttpClient? http = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = System.Net.Http.Json.JsonContent.Create(body, options: ApiFactory.Json),
        };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }
        return (http ?? _http).SendAsync(request);
    }

    private async Task<int> WaitingAsync() =>
        (await (await _http.GetAsync("/api/queues/orders/stats")).Body()).GetProperty("waiting").GetInt32();

    [Fact]
    public async Task TheSameKeyTwiceAnswersTheFirstConversationAndMakesNoSecond()
    {
        var key = Guid.NewGuid().ToString();
        var first = await CreateAsync(key, Request());
        var again = await CreateAsync(key, Request());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var id = (await first.Body()).GetProperty("id").GetString();
        Assert.Equal(id, (await again.Body()).GetProperty("id").GetString());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, await WaitingAsync());

        // Another key (or none) is another conversation.
        Assert.NotEqual(id, (await (await CreateAsync(Guid.NewGuid().ToString(), Request())).Body()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(null, Request())).StatusCode);
        Assert.Equal(3, await WaitingAsync());
    }

    [Fact]
    public async Task RetriesRacingEachOtherAllGetTheOneConversation()
    {
        var key = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => CreateAsync(key, Request())));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        var ids = await Task.WhenAll(answers.Select(async a => (await a.Body()).GetProperty("id").GetString()));
        Assert.Single(ids.Distinct());
        Assert.Equal(11, answers.Count(a => a.Headers.Contains("Idempotent-Replayed")));
        Assert.Equal(1, await WaitingAsync());
    }

    [Fact]
    public async Task TheSameKeyWithAnotherRequestIsRefusedAndChangesNothing()
    {
        var key = Guid.NewGuid().ToString();
        var first = await (await CreateAsync(key, Request("c-1"))).Body();
        var other = await CreateAsync(key, Request("c-2"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("idempotency-key-reused", (await other.Body()).GetProperty("code").GetString());
        var stored = await (await _http.GetAsync($"/api/conversations/{first.GetProperty("id").GetString()}")).Body();
        Assert.Equal("c-1", stored.GetProperty("customer").GetProperty("id").GetString());
        Assert.Equal(1, await WaitingAsync());
    }

    [Theory]
    [InlineData("a\tb")]
    [InlineData("key\n")]
    [InlineData("key with spaces")]
    [InlineData("键")]
    public async Task AKeyThatIsNotVisibleAsciiIsRefused(string key)
    {
        var refused = await CreateAsync(key, Request());

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("invalid-idempotency-key", (await refused.Body()).GetProperty("code").GetString());
        Assert.Equal(0, await WaitingAsync());
    }

    [Fact]
    public async Task AKeyLongerThan255CharactersIsRefused()
    {
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(new string('k', 255), Request())).StatusCode);
        var refused = await CreateAsync(new string('k', 256), Request());
        Assert.Equal("invalid-idempotency-key", (await refused.Body()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task TheOpenApiDocumentOffersTheHeaderOnBothCreates()
    {
        var document = await (await _http.GetAsync("/openapi/v1.json")).Body();
        foreach (var path in new[] { "/api/conversations", "/api/chat/conversations" })
        {
            var parameters = document.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("parameters").EnumerateArray();
            Assert.Contains(
                parameters,
                p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header"
            );
        }
    }

    [Fact]
    public async Task AfterADayTheKeyIsSpentAndRefused()
    {
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(key, Request())).StatusCode);
        _time.Advance(TimeSpan.FromHours(23));
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(key, Request())).StatusCode);
        _time.Advance(TimeSpan.FromHours(2));

        var late = await CreateAsync(key, Request());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, late.StatusCode);
        Assert.Equal("idempotency-key-expired", (await late.Body()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AWidgetRetryingItsChatStartFindsTheSameChatWithAFreshToken()
    {
        var visitor = _api.CreateClient().WithToken(null);
        var key = Guid.NewGuid().ToString();
        var body = new
        {
            topicId = "orders",
            name = "Han Meimei",
            message = "你好",
        };
        var first = await (await CreateAsync(key, body, "/api/chat/conversations", visitor)).Body();
        var again = await CreateAsync(key, body, "/api/chat/conversations", visitor);

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var second = await again.Body();
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.False(string.IsNullOrEmpty(second.GetProperty("customerToken").GetString()));
        Assert.Equal(1, await WaitingAsync());

        // The same key at the REST create is another endpoint's key: a conversation of its own.
        Assert.NotEqual(
            first.GetProperty("id").GetString(),
            (await (await CreateAsync(key, Request())).Body()).GetProperty("id").GetString()
        );
    }

    [Fact]
    public async Task TheDotNetClientRetriesALostAnswerWithItsKeyAndGetsTheOneConversation()
    {
        // The first answer is lost on the way back (the server made the conversation): the client tries again.
        var lose = new LoseFirstAnswer { InnerHandler = _api.Server.CreateHandler() };
        using var http = new HttpClient(lose) { BaseAddress = _api.Server.BaseAddress }.WithToken(TestTokens.Admin);
        var client = new ConversationsClient(http) { FirstBackoff = TimeSpan.Zero };

        var created = await client.CreateAsync(new NewConversation("chat", "orders", new NewCustomer("c-9", "Li Lei")));

        Assert.Equal(2, lose.Calls);
        Assert.True(created.Replayed);
        Assert.Equal(1, await WaitingAsync());
        Assert.Equal("Queued", created.State);

        var refused = await Assert.ThrowsAsync<RoutingApiException>(() =>
            client.CreateAsync(new NewConversation("chat", "nowhere", new NewCustomer("c-9")))
        );
        Assert.Equal(("queue-not-found", HttpStatusCode.NotFound), (refused.Code, refused.Status));
    }

    private sealed class LoseFirstAnswer : DelegatingHandler
    {
        public int Calls { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (++Calls == 1)
            {
                response.Dispose();
                throw new HttpRequestException("the connection closed before the answer arrived");
            }
            return response;
        }
    }
}
