using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Routing.Contracts;
using Routing.Contracts.Knowledge;
using Routing.Knowledge;
using Routing.Ledger;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Faults;

/// <summary>
/// The self-service step when what it leans on fails (docs/self-service.md): once the customer's message is written, the
/// create or the message is acknowledged whatever fails after it. A knowledge base that cannot be searched sends the
/// customer to a person; an escalation that cannot be written leaves the conversation in the step, out of every line,
/// where the customer may ask again.
/// </summary>
public sealed class SelfServiceFaultTests : IAsyncLifetime
{
    private readonly ApiFactory _api;
    private readonly FailingSource _source = new();
    private FaultyLedger? _ledger;
    private HttpClient _http = null!;

    public SelfServiceFaultTests() =>
        _api = new ApiFactory
        {
            WithServices = services =>
            {
                services.AddSingleton<ILedger>(sp => _ledger = new FaultyLedger(ActivatorUtilities.CreateInstance<SqliteLedger>(sp)));
                services.AddSingleton<IKnowledgeSource>(_source);
            },
        };

    private FaultyLedger Ledger => _ledger ?? throw new InvalidOperationException("The host has not made its ledger yet.");

    public async Task InitializeAsync()
    {
        _http = _api.CreateClient();
        Assert.Equal(
            HttpStatusCode.Created,
            (await _http.Put("/api/queues/help-faults", new { name = "Help", selfService = "bot-first" })).StatusCode
        );
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task AKnowledgeBaseThatCannotBeSearchedSendsTheCustomerToAPerson()
    {
        _source.Fails = true;

        var created = await CreateAsync("How do I return a parcel?");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var conversation = await GetAsync(await created.Body());
        Assert.Equal("Queued", conversation.GetProperty("state").GetString());
        Assert.Equal(
            "self-service-unavailable",
            conversation.GetProperty("timeline").EnumerateArray().Last().GetProperty("reason").GetString()
        );
        Assert.NotNull(
            await _api
                .Grains.GetGrain<Grains.Queues.IQueueCallbacks>(GrainKeys.For(GrainKeys.DefaultWorkspace, "help-faults"))
                .GetPositionAsync(conversation.GetProperty("id").GetString()!)
        );
    }

    [Fact]
    public async Task AnEscalationThatCannotBeWrittenLeavesTheConversationInTheStepOutOfLineAndTheCustomerMayAskAgain()
    {
        Ledger.Fails = change => change.NewTransitions.Any(t => t.State == ConversationState.Queued);

        var created = await CreateAsync("人工");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Body()).GetProperty("id").GetString()!;
        var queue = _api.Grains.GetGrain<Grains.Queues.IQueueCallbacks>(GrainKeys.For(GrainKeys.DefaultWorkspace, "help-faults"));
        Assert.Equal("SelfService", (await GetAsync(id)).GetProperty("state").GetString());
        Assert.Null(await queue.GetPositionAsync(id)); // taken out of the line again
        Assert.True(Ledger.Failed > 0);

        var refused = await _http.Post($"/api/conversations/{id}/escalate", new { });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("ledger-unavailable", (await refused.Body()).GetProperty("code").GetString());
        Assert.Null(await queue.GetPositionAsync(id));

        Ledger.Fails = null;
        var escalated = await _http.Post($"/api/conversations/{id}/escalate", new { });
        Assert.Equal("Queued", (await escalated.Body()).GetProperty("state").GetString());
        Assert.NotNull(await queue.GetPositionAsync(id));
    }

    private Task<HttpResponseMessage> CreateAsync(string message) =>
        _http.Post(
            "/api/conversations",
            new
            {
                channel = "chat",
                queueId = "help-faults",
                customer = new { id = "c-" + Guid.NewGuid().ToString("N")[..8] },
                message,
            }
        );

    private Task<JsonElement> GetAsync(JsonElement conversation) => GetAsync(conversation.GetProperty("id").GetString()!);

    private async Task<JsonElement> GetAsync(string id) => await (await _http.GetAsync($"/api/conversations/{id}")).Body();

    /// <summary>The knowledge base's source, failing while told to: the search cannot build its index.</summary>
    private sealed class FailingSource : IKnowledgeSource
    {
        public volatile bool Fails;

        public Task<(IReadOnlyList<KnowledgeArticle> Articles, long Stamp)> ChangesSinceAsync(
            string workspace,
            long stamp,
            CancellationToken cancellationToken = default
        ) =>
            Fails
                ? Task.FromException<(IReadOnlyList<KnowledgeArticle>, long)>(new IOException("the knowledge base cannot be read"))
                : Task.FromResult<(IReadOnlyList<KnowledgeArticle>, long)>(([], stamp));
    }
}
