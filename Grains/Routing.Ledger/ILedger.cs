using Routing.Contracts;

namespace Routing.Ledger;

/// <summary>
/// The durable truth of the system (docs/architecture.md, "The ledger"): queues, agents, and every conversation with its
/// timeline and transcript. Grains rebuild their working state from it on activation, so a process or silo
/// failure loses nothing that was acknowledged. Every write is durable when its task completes; writes from
/// many grains are batched into one transaction so the ledger is never the throughput ceiling.
/// </summary>
public interface ILedger
{
    /// <summary>Creates the schema if it is missing. Safe to call from many processes at once.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    Task SaveQueueAsync(string workspace, QueueInfo queue, CancellationToken cancellationToken = default);

    Task<QueueInfo?> GetQueueAsync(string workspace, string queueId, CancellationToken cancellationToken = default);

    /// <summary>Every queue of <paramref name="workspace"/>, or of every workspace when it is null, by id.</summary>
    Task<IReadOnlyList<WorkspaceItem<QueueInfo>>> ListQueuesAsync(string? workspace, CancellationToken cancellationToken = default);

    Task SaveAgentAsync(string workspace, AgentRecord agent, CancellationToken cancellationToken = default);

    Task<AgentRecord?> GetAgentAsync(string workspace, string agentId, CancellationToken cancellationToken = default);

    /// <summary>Every agent of <paramref name="workspace"/> (every workspace when null), by id.</summary>
    Task<IReadOnlyList<WorkspaceItem<AgentRecord>>> ListAgentsAsync(string? workspace, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the conversation's current row and appends the given transitions and transcript messages, all in
    /// one transaction. Transitions and messages are only ever appended, never rewritten.
    /// </summary>
    Task SaveConversationAsync(string workspace, ConversationChange change, CancellationToken cancellationToken = default);

    /// <summary>The conversation with its whole timeline and transcript, or null.</summary>
    Task<ConversationRecord?> GetConversationAsync(string workspace, string conversationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The conversations of <paramref name="workspace"/> (every workspace when null) that are not final —
    /// Queued, Offered, Connected or WrapUp — in arrival order, without timeline or transcript.
    /// </summary>
    Task<IReadOnlyList<WorkspaceItem<ConversationRecord>>> ListActiveConversationsAsync(
        string? workspace,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// The conversations an agent holds — Offered, Connected or WrapUp with <paramref name="agentId"/> — without
    /// timeline or transcript: what an agent rebuilds its load from on activation.
    /// </summary>
    Task<IReadOnlyList<ConversationRecord>> ListAgentConversationsAsync(
        string workspace,
        string agentId,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// Every conversation of <paramref name="workspace"/> with its whole timeline (no transcript), in arrival order, as
    /// of one committed state: what an audit replays (docs/reliability.md, "The auditor"). It reads the whole
    /// workspace; it is for audits of a run, not for the routing path.
    /// </summary>
    Task<IReadOnlyList<ConversationRecord>> ListTimelinesAsync(string workspace, CancellationToken cancellationToken = default);

    /// <summary>Writes a credential (an account or an API key), replacing the one stored under its kind and id.</summary>
    Task SaveCredentialAsync(string workspace, CredentialRecord credential, CancellationToken cancellationToken = default);

    Task<CredentialRecord?> GetCredentialAsync(string workspace, string kind, string id, CancellationToken cancellationToken = default);

    /// <summary>Every credential of one kind in <paramref name="workspace"/>, by id.</summary>
    Task<IReadOnlyList<CredentialRecord>> ListCredentialsAsync(
        string workspace,
        string kind,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// The interval report of <paramref name="workspace"/> (docs/api.md, "Reports"), one row per interval and queue,
    /// agent or channel that had any activity, in order; service levels against each queue's own target.
    /// </summary>
    Task<IReadOnlyList<IntervalRow>> ReportIntervalsAsync(
        string workspace,
        IntervalQuery query,
        CancellationToken cancellationToken = default
    );
}

/// <summary>A stored item with the workspace it belongs to.</summary>
public sealed record WorkspaceItem<T>(string Workspace, T Item);
