namespace Routing.Ledger;

/// <summary>
/// A ledger's write connection as <see cref="GroupCommit"/> drives it: one batch at a time, from one thread, each
/// batch applied in submission order inside one transaction (all of it stored, or none).
/// </summary>
internal interface ILedgerWriter : IDisposable
{
    /// <summary>Applies every write of the batch in one transaction; throws, having rolled back, if any fails.</summary>
    void Commit(IReadOnlyList<PendingWrite> batch);

    void UpsertQueue(QueueWrite write);

    void UpsertAgent(AgentWrite write);

    void SaveConversation(ConversationWrite write);

    void UpsertCredential(CredentialWrite write);

    /// <summary>
    /// Appends the article's version to its history and makes it the current row with the workspace's next change stamp;
    /// a version already in the history is <see cref="ArticleWrite.RefuseAsDuplicate">refused</see>, storing nothing of it.
    /// </summary>
    void SaveArticle(ArticleWrite write);

    /// <summary>Makes the reply's version the agent's current row for it.</summary>
    void SaveReply(ReplyWrite write);

    void DeleteReply(ReplyDeletion write);
}
