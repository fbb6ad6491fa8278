using Routing.Contracts;
using Routing.Contracts.Knowledge;

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
    /// SelfService, Queued, Offered, Connected or WrapUp — in arrival order, without timeline or transcript.
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
    /// Stores a new version of a knowledge-base article (docs/self-service.md): it becomes the article's current row and
    /// is appended to its history, both in one transaction, and the current row takes the workspace's next change stamp
    /// (<see cref="ListArticlesChangedSinceAsync"/>). A deletion is a version like any other, with
    /// <see cref="KnowledgeArticle.Deleted"/> set. The ledger does not check that versions follow each other — the
    /// workspace's one grain writes them one at a time — but a version already in the history is refused: the save fails
    /// with <see cref="InvalidOperationException"/> and changes nothing, without failing the writes batched with it.
    /// </summary>
    Task SaveArticleAsync(string workspace, KnowledgeArticle article, CancellationToken cancellationToken = default);

    /// <summary>The article's current version, or null when it was never saved or its current version deletes it.</summary>
    Task<KnowledgeArticle?> GetArticleAsync(string workspace, string articleId, CancellationToken cancellationToken = default);

    /// <summary>The current version of every article of <paramref name="workspace"/> that is not deleted, by id.</summary>
    Task<IReadOnlyList<KnowledgeArticle>> ListArticlesAsync(string workspace, CancellationToken cancellationToken = default);

    /// <summary>Every version of the article ever saved, deletions included, oldest first: what an admin audits or restores.</summary>
    Task<IReadOnlyList<KnowledgeArticle>> ListArticleHistoryAsync(
        string workspace,
        string articleId,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// The current rows of <paramref name="workspace"/> saved after the change stamp <paramref name="afterStamp"/> (0 for
    /// all), deleted ones included, in the order they were saved, with the highest stamp among them (or
    /// <paramref name="afterStamp"/> when there are none): what keeps each silo's search index current, each asking for
    /// what changed since it last looked. Stamps only grow within a workspace, and since its single writer saves one
    /// version at a time, a stamp is never committed behind one already read.
    /// </summary>
    Task<KnowledgeChanges> ListArticlesChangedSinceAsync(string workspace, long afterStamp, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the version of an agent's saved reply (docs/self-service.md, "Saved replies") as its current row. The agent's
    /// one grain writes them in turn.
    /// </summary>
    Task SaveReplyAsync(string workspace, string agentId, SavedReply reply, CancellationToken cancellationToken = default);

    /// <summary>Removes the agent's saved reply (nothing is kept of it: the desk makes a fresh id for each reply); removing one
    /// that is not there is no error.</summary>
    Task DeleteReplyAsync(string workspace, string agentId, string replyId, CancellationToken cancellationToken = default);

    /// <summary>Every reply the agent keeps, by id.</summary>
    Task<IReadOnlyList<SavedReply>> ListRepliesAsync(string workspace, string agentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The interval report of <paramref name="workspace"/> (docs/api.md, "Reports"), one row per interval and queue,
    /// agent or channel that had any activity, in order; service levels against each queue's own target.
    /// </summary>
    Task<IReadOnlyList<IntervalRow>> ReportIntervalsAsync(
        string workspace,
        IntervalQuery query,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// The customer's conversations in the workspace, newest first, at most <paramref name="limit"/>, across channels and
    /// queues, each with its last private note (docs/conversations.md, "The customer at the desk").
    /// </summary>
    Task<IReadOnlyList<PastConversation>> ListCustomerConversationsAsync(
        string workspace,
        string customerId,
        int limit,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// The conversations created in [<paramref name="from"/>, <paramref name="to"/>), oldest first, at most
    /// <paramref name="limit"/>, each with its customer's first message: what the keyword report counts terms of.
    /// </summary>
    Task<IReadOnlyList<FirstMessage>> ListFirstMessagesAsync(
        string workspace,
        DateTimeOffset from,
        DateTimeOffset to,
        int limit,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// The completions of the conversations created in [<paramref name="from"/>, <paramref name="to"/>), counted by queue and
    /// disposition, at most <paramref name="limit"/> counts (docs/conversations.md, "Disposition codes").
    /// </summary>
    Task<IReadOnlyList<DispositionCount>> CountDispositionsAsync(
        string workspace,
        DateTimeOffset from,
        DateTimeOffset to,
        int limit,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// The questions the self-service step could not answer (docs/self-service.md): each escalation for want of an answer
    /// (<c>no-answer</c>) in [<paramref name="from"/>, <paramref name="to"/>), oldest first, at most <paramref name="limit"/>,
    /// with the customer's last message before it.
    /// </summary>
    Task<IReadOnlyList<UnansweredQuestion>> ListUnansweredAsync(
        string workspace,
        DateTimeOffset from,
        DateTimeOffset to,
        int limit,
        CancellationToken cancellationToken = default
    );
}

/// <summary>A stored item with the workspace it belongs to.</summary>
public sealed record WorkspaceItem<T>(string Workspace, T Item);

/// <summary>
/// A ledger shared by the silos of a cluster, whose write sessions are each named after their silo: when a silo is
/// declared dead, the survivors end its sessions, which a frozen process could otherwise keep open with their locks
/// (docs/reliability.md, "A silo taken for dead").
/// </summary>
public interface ISiloSessions
{
    /// <summary>Ends the sessions of the silo at <paramref name="address"/>:<paramref name="port"/> of that generation; answers how
    /// many there were.</summary>
    Task<int> EndSessionsOfAsync(string address, int port, int generation, CancellationToken cancellationToken);
}
