using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Routing.Contracts;
using Routing.Contracts.Knowledge;
using Routing.Grains;
using Routing.Grains.Hosting;
using Routing.Ledger;
using Routing.LoadTests.Audit;
using Routing.LoadTests.Scenarios;
using Routing.LoadTests.Simulation;

namespace Routing.LoadTests.Targets;

/// <summary>
/// Engine mode: a silo in this process with the real grains and the real SQLite ledger (in a temporary
/// directory), driven by grain calls; the simulated agents hear their offers from the grains' events. No HTTP,
/// no SignalR: this measures the routing engine and its ledger. The generator shares the process (and the two
/// cores), as the targets say.
/// </summary>
/// <param name="settings">Configuration for the silo on top of its defaults (e.g. <c>Routing:Admission:MaxCreatesInFlight</c>).</param>
public sealed class EngineTarget(IReadOnlyDictionary<string, string?>? settings = null) : ITarget, IRoutingEventSink
{
    private const string Workspace = "load";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "routing-load-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentDictionary<string, string> _holders = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _violations = new();
    private IHost? _host;
    private IGrainFactory _grains = null!;
    private IOfferSink _offers = null!;
    private AdmissionGate _door = null!;
    private Scenario _scenario = null!;

    public string Name => "engine";

    public async Task SetUpAsync(Scenario scenario, IReadOnlyList<AgentSpec> agents, IOfferSink offers, CancellationToken cancellationToken)
    {
        _offers = offers;
        _scenario = scenario;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Routing:DataDirectory"] = _data });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddSingleton<IRoutingEventSink>(this);
        builder.Services.AddOptions<LedgerOptions>().Configure(o => o.DataDirectory = _data);
        builder.Services.AddSqliteLedger(); // the host chooses the ledger's engine; the grains take whichever it is
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(ServerProcess.FreePort(), ServerProcess.FreePort());
            silo.AddRoutingGrains();
        });
        _host = builder.Build();
        await _host.StartAsync(cancellationToken);
        _grains = _host.Services.GetRequiredService<IGrainFactory>();
        _door = _host.Services.GetRequiredService<AdmissionGate>();
        await Definitions.DefineAsync(
            scenario,
            agents,
            async article =>
            {
                await _grains.GetGrain<IKnowledgeBaseGrain>(Workspace).SaveAsync(article, "load");
                await _grains.GetGrain<IKnowledgeSearchGrain>(Workspace).RefreshAsync(); // found by the first arrival
            },
            (id, definition) => _grains.Queue(Workspace, id).DefineAsync(definition),
            (id, definition) => _grains.Agent(Workspace, id).DefineAsync(definition),
            id => _grains.Agent(Workspace, id).SetStatusAsync(AgentStatus.Available, null)
        );
    }

    /// <summary>Through the silo's own front door, as the API's creates go: refused (null) when it is full.</summary>
    public async Task<string?> CreateAsync(ConversationSpec conversation)
    {
        using var admission = _door.TryEnter();
        if (!admission.Admitted)
        {
            return null;
        }
        var id = Guid.CreateVersion7().ToString("N");
        await Conversation(id).StartAsync(Definitions.Command(_scenario, conversation));
        return id;
    }

    public bool SelfService => _scenario.SelfServiceShare > 0;

    /// <summary>The article is the bot's answer in the transcript the grain's view of the new conversation holds.</summary>
    public async Task<SelfServiceStart?> CreateInSelfServiceAsync(ConversationSpec conversation)
    {
        using var admission = _door.TryEnter();
        if (!admission.Admitted)
        {
            return null;
        }
        var id = Guid.CreateVersion7().ToString("N");
        var view = await Conversation(id).StartAsync(Definitions.Command(_scenario, conversation));
        return new SelfServiceStart(
            id,
            view.State == ConversationState.SelfService ? view.Transcript.LastOrDefault(m => m.ArticleId is not null)?.ArticleId : null
        );
    }

    public Task ResolveAsync(string conversationId, string articleId) => Conversation(conversationId).ResolveAsync(articleId);

    public Task EscalateAsync(string conversationId) => Conversation(conversationId).EscalateAsync();

    public async Task<bool> AcceptAsync(string agentId, string conversationId)
    {
        try
        {
            await Conversation(conversationId).AcceptAsync(agentId);
            return true;
        }
        catch (RoutingException)
        {
            return false;
        }
    }

    public async Task DeclineAsync(string agentId, string conversationId)
    {
        try
        {
            await Conversation(conversationId).DeclineAsync(agentId);
        }
        catch (RoutingException)
        {
            // the offer ended first
        }
    }

    public Task CompleteAsync(string agentId, string conversationId) => Conversation(conversationId).CompleteAsync(agentId, "done");

    public async Task<bool> AbandonAsync(string conversationId)
    {
        try
        {
            await Conversation(conversationId).AbandonAsync();
            return true;
        }
        catch (RoutingException)
        {
            return false;
        }
    }

    public ServerSample? SampleServer()
    {
        using var self = Process.GetCurrentProcess();
        return new ServerSample(self.TotalProcessorTime, self.WorkingSet64);
    }

    /// <summary>This process's: the silo, and the generator and simulated agents beside it.</summary>
    public Task<ServerCounters?> CountersAsync()
    {
        using var self = Process.GetCurrentProcess();
        return Task.FromResult<ServerCounters?>(
            new ServerCounters(self.TotalProcessorTime, GC.GetTotalAllocatedBytes(), LedgerMeter.Writes, LedgerMeter.Commits, 1)
        );
    }

    public bool GeneratorInServerProcess => true;

    public IReadOnlyList<string> ServerSideViolations() => _violations.Take(50).ToList();

    public bool ChecksCapacity => true;

    /// <summary>
    /// Every event from the grains: offers go to the simulated agents, and the invariants are checked on the
    /// authoritative order — each conversation's events come from its own grain, one at a time.
    /// </summary>
    public void Publish(RoutingEvent routingEvent)
    {
        switch (routingEvent)
        {
            case ConversationStateChanged { State: ConversationState.Offered, AgentId: { } agent } offered:
                if (_holders.TryGetValue(offered.ConversationId, out var holder))
                {
                    _violations.Enqueue($"{offered.ConversationId} offered to {agent} while {holder} held it");
                }
                _holders[offered.ConversationId] = agent;
                _offers.Offered(agent, offered.ConversationId, offered.Channel);
                break;
            case ConversationStateChanged { State: ConversationState.Queued } back:
                if (
                    _holders.TryRemove(back.ConversationId, out var previous)
                    && back.Reason is "offer-timed-out" or "offer-withdrawn" or "offer-lost" or "offer-expired"
                )
                {
                    _offers.OfferEnded(previous, back.ConversationId, back.Reason == "offer-timed-out" ? "timed-out" : "withdrawn");
                }
                break;
            case ConversationStateChanged { State: ConversationState.Connected } connected:
                if (!_holders.TryGetValue(connected.ConversationId, out var offeredTo) || offeredTo != connected.AgentId)
                {
                    _violations.Enqueue(
                        $"{connected.ConversationId} connected with {connected.AgentId}, offered to {offeredTo ?? "nobody"}"
                    );
                }
                break;
            case ConversationStateChanged
            {
                State: ConversationState.Completed or ConversationState.Abandoned or ConversationState.Resolved
            } ended:
                _holders.TryRemove(ended.ConversationId, out _);
                break;
            case AgentLoadChanged load:
                foreach (var (channel, used) in load.InUse)
                {
                    if (used > load.Capacity.GetValueOrDefault(channel))
                    {
                        _violations.Enqueue($"agent {load.AgentId} held {used} on {channel}");
                    }
                }
                if (load.MaxTotal is { } max && load.InUse.Values.Sum() > max)
                {
                    _violations.Enqueue($"agent {load.AgentId} held more than its total {max}");
                }
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    public async Task<AuditReport?> AuditAsync(IReadOnlyCollection<string> acknowledged, CancellationToken cancellationToken) =>
        await LedgerAudit.RunAsync(_host!.Services.GetRequiredService<ILedger>(), Workspace, acknowledged, cancellationToken);

    private IConversationGrain Conversation(string id) => _grains.Conversation(Workspace, id);
}
