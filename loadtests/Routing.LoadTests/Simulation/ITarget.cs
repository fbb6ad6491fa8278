using Routing.LoadTests.Audit;
using Routing.LoadTests.Scenarios;

namespace Routing.LoadTests.Simulation;

/// <summary>What the simulated agents hear from the system under test.</summary>
public interface IOfferSink
{
    /// <summary>An offer of a conversation on <paramref name="channel"/> reached the agent.</summary>
    void Offered(string agentId, string conversationId, string channel);

    /// <summary>An offer the agent held ended without its answer (timed out, withdrawn).</summary>
    void OfferEnded(string agentId, string conversationId, string reason);
}

/// <summary>
/// The system a load run drives: the real server over HTTP and SignalR (end-to-end), or the real grains
/// in-process (engine). The runner plays customers and agents through it.
/// </summary>
public interface ITarget : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Defines the queues and agents and sets every agent Available, offers going to <paramref name="offers"/>.</summary>
    Task SetUpAsync(Scenario scenario, IReadOnlyList<AgentSpec> agents, IOfferSink offers, CancellationToken cancellationToken);

    /// <summary>
    /// Creates a conversation; returns its id once it is acknowledged (durable), or null when the system refused it
    /// at the door because it is taking as much new work as it can (503 <c>overloaded</c>): nothing was created.
    /// </summary>
    Task<string?> CreateAsync(ConversationSpec conversation);

    /// <summary>
    /// Whether the target's queues give chats the self-service step (docs/self-service.md) when the scenario has a share for
    /// it. A target without it (the baselines) is given only the arrivals the step would escalate, when they escalate.
    /// </summary>
    bool SelfService => false;

    /// <summary>
    /// Creates a conversation that takes the self-service step, with its question as the first message: its id and the
    /// article the bot answered with, or no article when the step escalated it at once (no good answer); null when refused
    /// at the door. Only a target with <see cref="SelfService"/>.
    /// </summary>
    Task<SelfServiceStart?> CreateInSelfServiceAsync(ConversationSpec conversation) =>
        throw new NotSupportedException($"{Name} has no self-service step.");

    /// <summary>The customer takes the bot's answer <paramref name="articleId"/>: the conversation ends Resolved.</summary>
    Task ResolveAsync(string conversationId, string articleId) => throw new NotSupportedException($"{Name} has no self-service step.");

    /// <summary>The customer asks for a person: the conversation enters its queue's line, its wait starting now.</summary>
    Task EscalateAsync(string conversationId) => throw new NotSupportedException($"{Name} has no self-service step.");

    /// <summary>True if accepted; false if the offer was no longer held (it had timed out or been withdrawn).</summary>
    Task<bool> AcceptAsync(string agentId, string conversationId);

    Task DeclineAsync(string agentId, string conversationId);

    Task CompleteAsync(string agentId, string conversationId);

    /// <summary>The customer leaves; false if the conversation was no longer waiting.</summary>
    Task<bool> AbandonAsync(string conversationId);

    /// <summary>CPU time and memory of the server process, if the target can see it.</summary>
    ServerSample? SampleServer();

    /// <summary>The server's counters now (CPU, allocations, ledger writes), summed over its processes; null if the target cannot see
    /// them.</summary>
    Task<ServerCounters?> CountersAsync() => Task.FromResult<ServerCounters?>(null);

    /// <summary>Whether the generator runs inside the server's process (engine mode), so the server's CPU includes it.</summary>
    bool GeneratorInServerProcess => false;

    /// <summary>
    /// Of <paramref name="suspects"/> — conversations the runner heard offered to a second agent before it heard the
    /// first offer end (its connections' events can arrive in any order) — those that the system's own record shows
    /// offered to two agents at once, each with what the record shows. A target whose own checks already cover every
    /// offer (engine mode) answers none.
    /// </summary>
    Task<IReadOnlyList<string>> DoubleOffersAmongAsync(IReadOnlyList<string> suspects) => Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>
    /// The independent audit of the server's ledger after the run (docs/reliability.md, "The auditor"): every create in
    /// <paramref name="acknowledged"/> there, no conversation held by two agents, no agent over capacity; null when
    /// this tool cannot reach the ledger (a server it did not start).
    /// </summary>
    Task<AuditReport?> AuditAsync(IReadOnlyCollection<string> acknowledged, CancellationToken cancellationToken) =>
        Task.FromResult<AuditReport?>(null);

    /// <summary>What the server itself says about invariants it can check (engine mode sees every event).</summary>
    IReadOnlyList<string> ServerSideViolations();

    /// <summary>
    /// Whether <see cref="ServerSideViolations"/> covers agent capacity exactly. If not, the runner keeps its own
    /// count of what each agent holds — from outside, so only an approximation.
    /// </summary>
    bool ChecksCapacity => false;
}

/// <summary>A conversation created into the self-service step: the bot's answer's article, or null if it was escalated at once.</summary>
public sealed record SelfServiceStart(string Id, string? ArticleId);

public sealed record ServerSample(TimeSpan CpuTime, long WorkingSetBytes);
