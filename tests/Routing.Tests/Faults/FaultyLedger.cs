using Microsoft.Data.Sqlite;
using Routing.Contracts;
using Routing.Contracts.Knowledge;
using Routing.Ledger;

namespace Routing.Tests.Faults;

/// <summary>
/// The host's own ledger with a fault switch: a conversation write that <see cref="Fails"/> picks fails the way SQLite
/// fails on a bad disk (SQLITE_IOERR) and stores nothing; every other call goes through untouched.
/// </summary>
internal sealed class FaultyLedger(ILedger ledger) : ILedger, IAsyncDisposable, IDisposable
{
    private const int SqliteIoError = 10;
    private int _failed;

    /// <summary>Which conversation writes fail; none while null.</summary>
    public Func<ConversationChange, bool>? Fails { get; set; }

    /// <summary>How many writes have failed so far.</summary>
    public int Failed => Volatile.Read(ref _failed);

    public Task SaveConversationAsync(string workspace, ConversationChange change, CancellationToken cancellationToken = default)
    {
        if (Fails is { } fails && fails(change))
        {
            Interlocked.Increment(ref _failed);
            return Task.FromException(new SqliteException("disk I/O error", SqliteIoError));
        }
        return ledger.SaveConversationAsync(workspace, change, cancellationToken);
    }

    public Task InitializeAsync(CancellationToken cancellationToken = default) => ledger.InitializeAsync(cancellationToken);

    public Task SaveQueueAsync(string workspace, QueueInfo queue, CancellationToken cancellationToken = default) =>
        ledger.SaveQueueAsync(workspace, queue, cancellationToken);

    public Task<QueueInfo?> GetQueueAsync(string workspace, string queueId, CancellationToken cancellationToken = default) =>
        ledger.GetQueueAsync(workspace, queueId, cancellationToken);

    public Task<IReadOnlyList<WorkspaceItem<QueueInfo>>> ListQueuesAsync(
        string? workspace,
        CancellationToken cancellationToken = default
    ) => ledger.ListQueuesAsync(workspace, cancellationToken);

    public Task SaveAgentAsync(string workspace, AgentRecord agent, CancellationToken cancellationToken = default) =>
        ledger.SaveAgentAsync(workspace, agent, cancellationToken);

    public Task<AgentRecord?> GetAgentAsync(string workspace, string agentId, CancellationToken cancellationToken = default) =>
        ledger.GetAgentAsync(workspace, agentId, cancellationToken);

    public Task<IReadOnlyList<WorkspaceItem<AgentRecord>>> ListAgentsAsync(
        string? workspace,
        CancellationToken cancellationToken = default
    ) => ledger.ListAgentsAsync(workspace, cancellationToken);

    public Task<ConversationRecord?> GetConversationAsync(
        string workspace,
        string conversationId,
        CancellationToken cancellationToken = default
    ) => ledger.GetConversationAsync(workspace, conversationId, cancellationToken);

    public Task<IReadOnlyList<ConversationRecord>> ListTimelinesAsync(string workspace, CancellationToken cancellationToken = default) =>
        ledger.ListTimelinesAsync(workspace, cancellationToken);

    public Task<IReadOnlyList<WorkspaceItem<ConversationRecord>>> ListActiveConversationsAsync(
        string? workspace,
        CancellationToken cancellationToken = default
    ) => ledger.ListActiveConversationsAsync(workspace, cancellationToken);

    public Task<IReadOnlyList<ConversationRecord>> ListAgentConversationsAsync(
        string workspace,
        string agentId,
        CancellationToken cancellationToken = default
    ) => ledger.ListAgentConversationsAsync(workspace, agentId, cancellationToken);

    public Task SaveCredentialAsync(string workspace, CredentialRecord credential, CancellationToken cancellationToken = default) =>
        ledger.SaveCredentialAsync(workspace, credential, cancellationToken);

    public Task<CredentialRecord?> GetCredentialAsync(
        string workspace,
        string kind,
        string id,
        CancellationToken cancellationToken = default
    ) => ledger.GetCredentialAsync(workspace, kind, id, cancellationToken);

    public Task<IReadOnlyList<CredentialRecord>> ListCredentialsAsync(
        string workspace,
        string kind,
        CancellationToken cancellationToken = default
    ) => ledger.ListCredentialsAsync(workspace, kind, cancellationToken);

    public Task SaveArticleAsync(string workspace, KnowledgeArticle article, CancellationToken cancellationToken = default) =>
        ledger.SaveArticleAsync(workspace, article, cancellationToken);

    public Task<IReadOnlyList<DispositionCount>> CountDispositionsAsync(
        string workspace,
        DateTimeOffset from,
        DateTimeOffset to,
        int limit,
        CancellationToken cancellationToken = default
    ) => ledger.CountDispositionsAsync(workspace, from, to, limit, cancellationToken);

    public Task SaveReplyAsync(string workspace, string agentId, SavedReply reply, CancellationToken cancellationToken = default) =>
        ledger.SaveReplyAsync(workspace, agentId, reply, cancellationToken);

    public Task DeleteReplyAsync(string workspace, string agentId, string replyId, CancellationToken cancellationToken = default) =>
        ledger.DeleteReplyAsync(workspace, agentId, replyId, cancellationToken);

    public Task<IReadOnlyList<SavedReply>> ListRepliesAsync(
        string workspace,
        string agentId,
        CancellationToken cancellationToken = default
    ) => ledger.ListRepliesAsync(workspace, agentId, cancellationToken);

    public Task<KnowledgeArticle?> GetArticleAsync(string workspace, string articleId, CancellationToken cancellationToken = default) =>
        ledger.GetArticleAsync(workspace, articleId, cancellationToken);

    public Task<IReadOnlyList<KnowledgeArticle>> ListArticlesAsync(string workspace, CancellationToken cancellationToken = default) =>
        ledger.ListArticlesAsync(workspace, cancellationToken);

    public Task<IReadOnlyList<KnowledgeArticle>> ListArticleHistoryAsync(
        string workspace,
        string articleId,
        CancellationToken cancellationToken = default
    ) => ledger.ListArticleHistoryAsync(workspace, articleId, cancellationToken);

    public Task<KnowledgeChanges> ListArticlesChangedSinceAsync(
        string workspace,
        long afterStamp,
        CancellationToken cancellationToken = default
    ) => ledger.ListArticlesChangedSinceAsync(workspace, afterStamp, cancellationToken);

    public Task<IReadOnlyList<IntervalRow>> ReportIntervalsAsync(
        string workspace,
        IntervalQuery query,
        CancellationToken cancellationToken = default
    ) => ledger.ReportIntervalsAsync(workspace, query, cancellationToken);

    public Task<IReadOnlyList<FirstMessage>> ListFirstMessagesAsync(
        string workspace,
        DateTimeOffset from,
        DateTimeOffset to,
        int limit,
        CancellationToken cancellationToken = default
    ) => ledger.ListFirstMessagesAsync(workspace, from, to, limit, cancellationToken);

    public Task<IReadOnlyList<UnansweredQuestion>> ListUnansweredAsync(
        string workspace,
        DateTimeOffset from,
        DateTimeOffset to,
        int limit,
        CancellationToken cancellationToken = default
    ) => ledger.ListUnansweredAsync(workspace, from, to, limit, cancellationToken);

    public Task<IReadOnlyList<PastConversation>> ListCustomerConversationsAsync(
        string workspace,
        string customerId,
        int limit,
        CancellationToken cancellationToken = default
    ) => ledger.ListCustomerConversationsAsync(workspace, customerId, limit, cancellationToken);

    /// <summary>The host disposes its ledger through this stand-in: the database is closed before its directory goes.</summary>
    public ValueTask DisposeAsync() => ledger is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;

    public void Dispose() => (ledger as IDisposable)?.Dispose();
}
