using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Routing.Client;
using Routing.Contracts;
using Routing.LoadTests.Scenarios;
using Routing.LoadTests.Simulation;

namespace Routing.LoadTests.Targets;

/// <summary>
/// End-to-end mode: a running server driven over its real protocols — HTTP to create conversations and define
/// queues and agents, one SignalR connection per simulated agent through our .NET realtime client.
/// </summary>
public sealed class EndToEndTarget(Uri server, Process? serverProcess) : ITarget
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = server,
        Timeout = TimeSpan.FromSeconds(30),
    };
    private readonly ConcurrentDictionary<string, AgentConnection> _agents = new(StringComparer.Ordinal);

    public string Name => "end-to-end";

    public async Task SetUpAsync(Scenario scenario, IReadOnlyList<AgentSpec> agents, IOfferSink offers, CancellationToken cancellationToken)
    {
        await Definitions.DefineAsync(scenario, agents,
            (id, d) => PutAsync($"/api/queues/{id}", new
            {
                name = d.Name,
                selection = d.Selection,
                agingPerSecond = d.AgingPerSecond,
                offerTimeoutSeconds = d.OfferTimeoutSeconds,
                serviceLevel = new { targetSeconds = d.ServiceLevel.TargetSeconds, percent = d.ServiceLevel.Percent },
            }),
            (id, d) => PutAsync($"/api/agents/{id}", new
            {
                name = d.Name,
                skills = d.Skills,
                capacity = d.Capacity,
                queues = d.Queues.Select(q => new { queueId = q.QueueId, rank = q.Rank }),
            }),
            async id =>
            {
                var agent = new AgentConnection(new RealtimeOptions { Server = server }, id);
                agent.OfferReceived += offer => offers.Offered(id, offer.ConversationId);
                agent.OfferEnded += (conversationId, reason) =>
                {
                    if (reason is "timed-out" or "withdrawn")
                    {
                        offers.OfferEnded(id, conversationId, reason);
                    }
                };
                // Thousands of desks opening at once can find the server's accept queue full; a desk tries again.
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await agent.StartAsync(cancellationToken);
                        break;
                    }
                    catch (HttpRequestException) when (attempt < 5)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
                    }
                }
                await agent.SetStatusAsync(AgentStatus.Available);
                _agents[id] = agent;
            });
    }

    public async Task<string> CreateAsync(ConversationSpec conversation)
    {
        var command = Definitions.Command(conversation);
        using var response = await _http.PostAsJsonAsync("/api/conversations", new
        {
            channel = command.Channel,
            queueId = command.QueueId,
            customer = new { id = command.Customer.Id, name = command.Customer.Name, tier = command.Customer.Tier },
            skills = command.Skills.Select(s => new { requirements = s.Requirements, seconds = s.Seconds }),
        }, Json);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        return body.RootElement.GetProperty("id").GetString()!;
    }

    public async Task<bool> AcceptAsync(string agentId, string conversationId)
    {
        try
        {
            await _agents[agentId].AcceptAsync(conversationId);
            return true;
        }
        catch (RealtimeException)
        {
            return false;
        }
    }

    public async Task DeclineAsync(string agentId, string conversationId)
    {
        try
        {
            await _agents[agentId].DeclineAsync(conversationId);
        }
        catch (RealtimeException)
        {
            // the offer ended first
        }
    }

    public Task CompleteAsync(string agentId, string conversationId) => _agents[agentId].CompleteAsync(conversationId, "done");

    public async Task<bool> AbandonAsync(string conversationId)
    {
        using var response = await _http.PostAsync($"/api/conversations/{conversationId}/abandon", null);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
        response.EnsureSuccessStatusCode();
        return true;
    }

    public ServerSample? SampleServer()
    {
        if (serverProcess is null || serverProcess.HasExited)
        {
            return null;
        }
        serverProcess.Refresh();
        return new ServerSample(serverProcess.TotalProcessorTime, serverProcess.WorkingSet64);
    }

    public IReadOnlyList<string> ServerSideViolations() => [];

    public async ValueTask DisposeAsync()
    {
        await Parallel.ForEachAsync(_agents.Values, async (a, _) => await a.DisposeAsync());
        _http.Dispose();
    }

    private async Task PutAsync(string url, object body)
    {
        using var response = await _http.PutAsJsonAsync(url, body, Json);
        response.EnsureSuccessStatusCode();
    }
}
