using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Routing.Client;
using Routing.Contracts;
using Routing.LoadTests.Audit;
using Routing.LoadTests.Scenarios;
using Routing.LoadTests.Simulation;

namespace Routing.LoadTests.Targets;

/// <summary>
/// End-to-end mode: a running server driven over its real protocols — HTTP to create conversations and define
/// queues and agents, one SignalR connection per simulated agent through our .NET realtime client. Every call
/// carries the token, an admin's bearer token (<see cref="AdminToken"/>); on the agent hub an admin
/// acts for the agent its connection names. Given several servers (the silos of one cluster), it spreads its calls
/// over them as a load balancer would: each create, abandon and read to the next silo in turn, each agent's
/// connection to one silo (agent i to silo i mod N).
/// </summary>
public sealed class EndToEndTarget : ITarget
{
    /// <summary>How often setting up tries again when the server rate-limits it (about a second apart).</summary>
    private const int SetUpAttemptsWhenRateLimited = 120;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IReadOnlyList<Uri> _servers;
    private readonly string _token;
    private readonly LedgerSource? _ledger;
    private readonly IReadOnlyList<Process> _processes;
    private readonly HttpClient[] _clients;
    private readonly ConcurrentDictionary<string, AgentConnection> _agents = new(StringComparer.Ordinal);
    private int _next;
    private Scenario _scenario = new();

    /// <param name="servers">The server, or every silo of a cluster.</param>
    /// <param name="token">An admin's bearer token, good on every one of them.</param>
    /// <param name="processes">The server processes, when this tool started them: their CPU and memory are sampled.</param>
    /// <param name="silos">For a cluster this tool started: its size, named in the report.</param>
    /// <param name="ledger">The servers' ledger, when this tool started them: audited after the run.</param>
    public EndToEndTarget(
        IReadOnlyList<Uri> servers,
        string token,
        IReadOnlyList<Process> processes,
        int? silos = null,
        LedgerSource? ledger = null
    )
    {
        _ledger = ledger;
        Name = silos is { } n ? $"end-to-end, {n} silo{(n == 1 ? "" : "s")} on PostgreSQL" : "end-to-end";
        ArgumentOutOfRangeException.ThrowIfZero(servers.Count);
        _servers = servers;
        _token = token;
        _processes = processes;
        _clients =
        [
            .. servers.Select(server => new HttpClient(
                new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }
            )
            {
                BaseAddress = server,
                Timeout = TimeSpan.FromSeconds(30),
                DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
            }),
        ];
    }

    /// <summary>The servers this tool starts keep the load in the default workspace, their first admin's.</summary>
    public async Task<AuditReport?> AuditAsync(IReadOnlyCollection<string> acknowledged, CancellationToken cancellationToken) =>
        _ledger is null ? null : await _ledger.AuditAsync(GrainKeys.DefaultWorkspace, acknowledged, cancellationToken);

    /// <summary>The silo an agent's desk talks to (as a load balancer keeping each desk's session on one silo would): agent i to silo i mod
    /// N.</summary>
    private int SiloOf(string agentId) =>
        int.Parse(agentId.AsSpan(agentId.LastIndexOf('-') + 1), System.Globalization.CultureInfo.InvariantCulture) % _servers.Count;

    /// <summary>The next silo's client, in turn.</summary>
    private HttpClient NextClient => _clients[(int)((uint)Interlocked.Increment(ref _next) % (uint)_clients.Length)];

    public string Name { get; }

    public async Task SetUpAsync(Scenario scenario, IReadOnlyList<AgentSpec> agents, IOfferSink offers, CancellationToken cancellationToken)
    {
        _scenario = scenario;
        await Definitions.DefineAsync(
            scenario,
            agents,
            article =>
                PutAsync(
                    NextClient,
                    $"/api/knowledge/articles/{article.ArticleId}",
                    new
                    {
                        title = article.Title,
                        questions = article.Questions,
                        answer = article.Answer,
                        topic = article.Topic,
                        language = article.Language,
                        tags = article.Tags,
                        enabled = article.Enabled,
                    }
                ),
            (id, d) =>
                PutAsync(
                    NextClient,
                    $"/api/queues/{id}",
                    new
                    {
                        name = d.Name,
                        selection = d.Selection,
                        agingPerSecond = d.AgingPerSecond,
                        offerTimeoutSeconds = d.OfferTimeoutSeconds,
                        serviceLevel = new { targetSeconds = d.ServiceLevel.TargetSeconds, percent = d.ServiceLevel.Percent },
                        selfService = d.SelfService,
                    }
                ),
            (id, d) =>
                PutAsync(
                    _clients[SiloOf(id)],
                    $"/api/agents/{id}",
                    new
                    {
                        name = d.Name,
                        skills = d.Skills,
                        capacity = d.Capacity,
                        queues = d.Queues.Select(q => new { queueId = q.QueueId, rank = q.Rank }),
                    }
                ),
            async id =>
            {
                var agent = new AgentConnection(
                    new RealtimeOptions
                    {
                        Server = _servers[SiloOf(id)],
                        AccessTokenProvider = () => Task.FromResult<string?>(_token),
                        // WebSockets only: a refused upgrade (429) must not quietly leave a desk on Server-Sent Events or long polling.
                        Transports = HttpTransportType.WebSockets,
                    },
                    id
                );
                agent.OfferReceived += offer => offers.Offered(id, offer.ConversationId, offer.Channel);
                agent.OfferEnded += (conversationId, reason) =>
                {
                    if (reason is "timed-out" or "withdrawn")
                    {
                        offers.OfferEnded(id, conversationId, reason);
                    }
                };
                // Thousands of desks opening at once can find the server's accept queue full; a desk tries again. A
                // server with rate limits on refuses most of them (429, all on the one admin token): they wait their turn.
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await agent.StartAsync(cancellationToken);
                        break;
                    }
                    catch (Exception e) when (RateLimited(e) && attempt < SetUpAttemptsWhenRateLimited)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    }
                    catch (HttpRequestException e) when (!RateLimited(e) && attempt < 5)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
                    }
                }
                await agent.SetStatusAsync(AgentStatus.Available);
                _agents[id] = agent;
            }
        );
    }

    public async Task<string?> CreateAsync(ConversationSpec conversation)
    {
        using var body = await PostCreateAsync(conversation);
        return body?.RootElement.GetProperty("id").GetString()!;
    }

    public bool SelfService => _scenario.SelfServiceShare > 0;

    /// <summary>The article is the bot's answer in the transcript the create's response holds.</summary>
    public async Task<SelfServiceStart?> CreateInSelfServiceAsync(ConversationSpec conversation)
    {
        using var body = await PostCreateAsync(conversation);
        if (body is null)
        {
            return null;
        }
        var root = body.RootElement;
        var articleId =
            root.GetProperty("state").GetString() == nameof(ConversationState.SelfService)
                ? root.GetProperty("transcript")
                    .EnumerateArray()
                    .Select(m => m.TryGetProperty("articleId", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null)
                    .LastOrDefault(a => a is not null)
                : null;
        return new SelfServiceStart(root.GetProperty("id").GetString()!, articleId);
    }

    public async Task ResolveAsync(string conversationId, string articleId)
    {
        using var response = await NextClient.PostAsJsonAsync($"/api/conversations/{conversationId}/resolve", new { articleId }, Json);
        EnsureSuccess(response, "POST /api/conversations/{id}/resolve");
    }

    public async Task EscalateAsync(string conversationId)
    {
        using var response = await NextClient.PostAsync($"/api/conversations/{conversationId}/escalate", null);
        EnsureSuccess(response, "POST /api/conversations/{id}/escalate");
    }

    /// <summary>The create's answer, or null when the server refused it at its door (503 <c>overloaded</c>): nothing created.</summary>
    private async Task<JsonDocument?> PostCreateAsync(ConversationSpec conversation)
    {
        var command = Definitions.Command(_scenario, conversation);
        using var response = await NextClient.PostAsJsonAsync(
            "/api/conversations",
            new
            {
                channel = command.Channel,
                queueId = command.QueueId,
                customer = new
                {
                    id = command.Customer.Id,
                    name = command.Customer.Name,
                    tier = command.Customer.Tier,
                },
                skills = command.Skills.Select(s => new { requirements = s.Requirements, seconds = s.Seconds }),
                message = command.Message,
            },
            Json
        );
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable && await ProblemCodeAsync(response) == "overloaded")
        {
            return null; // refused at the door: nothing created
        }
        EnsureSuccess(response, "POST /api/conversations");
        return JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
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
        using var response = await NextClient.PostAsync($"/api/conversations/{conversationId}/abandon", null);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
        EnsureSuccess(response, "POST /api/conversations/{id}/abandon");
        return true;
    }

    public ServerSample? SampleServer()
    {
        if (_processes.Count == 0 || _processes.Any(p => p.HasExited))
        {
            return null;
        }
        foreach (var process in _processes)
        {
            process.Refresh();
        }
        return new ServerSample(TimeSpan.FromTicks(_processes.Sum(p => p.TotalProcessorTime.Ticks)), _processes.Sum(p => p.WorkingSet64));
    }

    /// <summary>From every silo's <c>/metrics</c>, summed: its process's CPU, the runtime's allocations, the ledger's writes and
    /// commits.</summary>
    public async Task<ServerCounters?> CountersAsync()
    {
        var each = await Task.WhenAll(
            _clients.Select(async client =>
            {
                using var response = await client.GetAsync("/metrics");
                response.EnsureSuccessStatusCode();
                return ServerCounters.FromPrometheus(await response.Content.ReadAsStringAsync());
            })
        );
        return ServerCounters.Sum(each);
    }

    public IReadOnlyList<string> ServerSideViolations() => [];

    /// <summary>Each suspect's timeline, as the server recorded it: an offer made while another agent still held one is a double
    /// offer.</summary>
    public async Task<IReadOnlyList<string>> DoubleOffersAmongAsync(IReadOnlyList<string> suspects)
    {
        var found = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(
            suspects,
            new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (id, cancellationToken) =>
            {
                using var response = await NextClient.GetAsync($"/api/conversations/{id}", cancellationToken);
                response.EnsureSuccessStatusCode();
                using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
                var timeline = body
                    .RootElement.GetProperty("timeline")
                    .EnumerateArray()
                    .Select(t => (t.GetProperty("state").GetString() ?? "", t.TryGetProperty("agentId", out var a) ? a.GetString() : null));
                foreach (var doubleOffer in DoubleOffersIn(id, timeline))
                {
                    found.Enqueue(doubleOffer);
                }
            }
        );
        return found.ToList();
    }

    /// <summary>
    /// The offers of a conversation's timeline (state and agent of each transition, in order) made while another agent
    /// still held one: an offer holds until the conversation goes back in line or ends; a connection keeps its agent.
    /// </summary>
    public static IEnumerable<string> DoubleOffersIn(string conversationId, IEnumerable<(string State, string? AgentId)> timeline)
    {
        string? holder = null;
        foreach (var (state, agent) in timeline)
        {
            if (state == "Offered")
            {
                if (holder is not null && holder != agent)
                {
                    yield return $"{conversationId} offered to {agent} while {holder} held it (the server's timeline)";
                }
                holder = agent;
            }
            else if (state is "Queued" or "Abandoned" or "Completed" or "Resolved")
            {
                holder = null; // the offer ended: back in line, or the conversation did
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Parallel.ForEachAsync(_agents.Values, async (a, _) => await a.DisposeAsync());
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    /// <summary>Defining the scenario is not measured: a 429 waits for the <c>Retry-After</c> and tries again.</summary>
    private static async Task PutAsync(HttpClient client, string url, object body)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await client.PutAsJsonAsync(url, body, Json);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt >= SetUpAttemptsWhenRateLimited)
            {
                EnsureSuccess(response, "PUT " + url);
                return;
            }
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }
    }

    private static async Task<string?> ProblemCodeAsync(HttpResponseMessage response)
    {
        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            return body.RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether a connection failed on a 429: the negotiation's, or the WebSocket upgrade's (which tells its status in its message
    /// only).</summary>
    private static bool RateLimited(Exception e) =>
        e switch
        {
            HttpRequestException { StatusCode: HttpStatusCode.TooManyRequests } => true,
            WebSocketException w when w.Message.Contains("'429'", StringComparison.Ordinal) => true,
            AggregateException a => a.InnerExceptions.Any(RateLimited),
            _ => e.InnerException is { } inner && RateLimited(inner),
        };

    /// <summary>A 429 during the run is the server's rate limit, not a failure of the tool: counted as an error that says so.</summary>
    private static void EnsureSuccess(HttpResponseMessage response, string request)
    {
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new RateLimitedException(request);
        }
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>The server answered 429: its rate limits (<c>Routing:RateLimits</c>) refused the request.</summary>
public sealed class RateLimitedException(string request)
    : Exception(
        $"429 Too Many Requests on {request}: the server's rate limits (Routing:RateLimits) refused it; for a load run, raise them or "
            + $"set them to 0 (off)"
    );
