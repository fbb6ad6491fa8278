using Routing.Contracts;
using Routing.Contracts.Knowledge;

namespace Routing.Ledger;

/// <summary>
/// One caller's write waiting for the writer. Nested values are serialised here, on the caller's thread, so a value
/// that cannot be stored fails its own caller at once and the single writer only binds and executes.
/// </summary>
internal abstract class PendingWrite
{
    protected PendingWrite(string workspace)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspace);
        Workspace = workspace;
    }

    public string Workspace { get; }

    /// <summary>Observed until the writer takes the write into a batch; after that it completes with its batch.</summary>
    public CancellationToken Cancellation { get; set; }

    /// <summary>Completed once the write's transaction has committed (or failed).</summary>
    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Set by the writer when it turned this write down having stored nothing of it, without failing its batch (a version
    /// already stored, <see cref="ArticleWrite"/>): the batch commits, and this write's caller gets the error.
    /// </summary>
    public Exception? Refused { get; set; }

    public abstract void Apply(ILedgerWriter writer);

    /// <summary>
    /// A missing required value is refused here rather than by a NOT NULL constraint in the writer, where it would
    /// fail every other write of its batch.
    /// </summary>
    protected static void Require(object? value, string name)
    {
        if (value is null)
        {
            throw new ArgumentException($"The ledger needs {name}.", name);
        }
    }
}

internal sealed class QueueWrite : PendingWrite
{
    public QueueWrite(string workspace, QueueInfo queue)
        : base(workspace)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentException.ThrowIfNullOrEmpty(queue.QueueId, "queue.QueueId");
        Require(queue.Definition, "queue.Definition");
        Queue = queue;
        Definition = LedgerJson.Write(queue.Definition);
    }

    public QueueInfo Queue { get; }

    public string Definition { get; }

    public override void Apply(ILedgerWriter writer) => writer.UpsertQueue(this);
}

internal sealed class AgentWrite : PendingWrite
{
    public AgentWrite(string workspace, AgentRecord agent)
        : base(workspace)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentException.ThrowIfNullOrEmpty(agent.AgentId, "agent.AgentId");
        Require(agent.Definition, "agent.Definition");
        Agent = agent;
        Definition = LedgerJson.Write(agent.Definition);
    }

    public AgentRecord Agent { get; }

    public string Definition { get; }

    public override void Apply(ILedgerWriter writer) => writer.UpsertAgent(this);
}

internal sealed class ConversationWrite : PendingWrite
{
    public ConversationWrite(string workspace, ConversationChange change)
        : base(workspace)
    {
        ArgumentNullException.ThrowIfNull(change);
        var conversation = change.Conversation;
        Require(conversation, "change.Conversation");
        ArgumentException.ThrowIfNullOrEmpty(conversation.ConversationId, "conversation.ConversationId");
        Require(conversation.Channel, "conversation.Channel");
        Require(conversation.QueueId, "conversation.QueueId");
        Require(conversation.Customer, "conversation.Customer");
        Require(conversation.Skills, "conversation.Skills");
        Require(conversation.Attributes, "conversation.Attributes");
        Require(conversation.ExcludedAgents, "conversation.ExcludedAgents");
        Require(conversation.Offers, "conversation.Offers");
        Require(change.NewTransitions, "change.NewTransitions");
        Require(change.NewMessages, "change.NewMessages");
        foreach (var message in change.NewMessages)
        {
            Require(message?.From, "message.From");
            Require(message?.Text, "message.Text");
        }
        foreach (var note in change.NewNotes ?? [])
        {
            Require(note?.Kind, "note.Kind");
            Require(note?.By, "note.By");
            Require(note?.Text, "note.Text");
            if (note!.Sequence < 1)
            {
                throw new ArgumentException("A note's sequence counts from 1.", nameof(change));
            }
        }
        foreach (var transition in change.NewTransitions)
        {
            Require(transition, "transition");
        }
        Change = change;
        Customer = LedgerJson.WriteOnce(conversation.Customer);
        Skills = LedgerJson.WriteOnce(conversation.Skills);
        Attributes = LedgerJson.WriteOnce(conversation.Attributes);
        ExcludedAgents = LedgerJson.Write(conversation.ExcludedAgents);
        Offers = LedgerJson.Write(conversation.Offers);
    }

    public ConversationChange Change { get; }

    public string Customer { get; }

    public string Skills { get; }

    public string Attributes { get; }

    public string ExcludedAgents { get; }

    public string Offers { get; }

    public override void Apply(ILedgerWriter writer) => writer.SaveConversation(this);
}

internal sealed class CredentialWrite : PendingWrite
{
    public CredentialWrite(string workspace, CredentialRecord credential)
        : base(workspace)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentException.ThrowIfNullOrEmpty(credential.Kind, "credential.Kind");
        ArgumentException.ThrowIfNullOrEmpty(credential.Id, "credential.Id");
        Require(credential.Data, "credential.Data");
        Credential = credential;
    }

    public CredentialRecord Credential { get; }

    public override void Apply(ILedgerWriter writer) => writer.UpsertCredential(this);
}

internal sealed class ArticleWrite : PendingWrite
{
    public ArticleWrite(string workspace, KnowledgeArticle article)
        : base(workspace)
    {
        ArgumentNullException.ThrowIfNull(article);
        ArgumentException.ThrowIfNullOrEmpty(article.ArticleId, "article.ArticleId");
        Require(article.Title, "article.Title");
        Require(article.Questions, "article.Questions");
        Require(article.Answer, "article.Answer");
        Require(article.Language, "article.Language");
        Require(article.Tags, "article.Tags");
        ArgumentOutOfRangeException.ThrowIfLessThan(article.Version, 1, "article.Version");
        // Stored in UTC like every other time of the ledger, so it reads back at offset zero.
        Article = article with
        {
            UpdatedAt = article.UpdatedAt.ToUniversalTime(),
        };
        Data = LedgerJson.Write(Article);
    }

    public KnowledgeArticle Article { get; }

    /// <summary>The whole version as JSON: the current row and the history store the same text.</summary>
    public string Data { get; }

    public override void Apply(ILedgerWriter writer) => writer.SaveArticle(this);

    /// <summary>Turns the write down: its version is already in the article's history (see <see cref="PendingWrite.Refused"/>).</summary>
    public void RefuseAsDuplicate() =>
        Refused = new InvalidOperationException(
            $"The ledger already holds version {Article.Version} of knowledge article '{Article.ArticleId}' in workspace "
                + $"'{Workspace}'; a version is saved once."
        );
}

internal sealed class ReplyWrite : PendingWrite
{
    public ReplyWrite(string workspace, string agentId, SavedReply reply)
        : base(workspace)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentException.ThrowIfNullOrEmpty(reply.ReplyId, "reply.ReplyId");
        Require(reply.Title, "reply.Title");
        Require(reply.Text, "reply.Text");
        ArgumentOutOfRangeException.ThrowIfLessThan(reply.Version, 1, "reply.Version");
        AgentId = agentId;
        Reply = reply with { UpdatedAt = reply.UpdatedAt.ToUniversalTime() };
        Data = LedgerJson.Write(Reply);
    }

    public string AgentId { get; }

    public SavedReply Reply { get; }

    public string Data { get; }

    public override void Apply(ILedgerWriter writer) => writer.SaveReply(this);
}

internal sealed class ReplyDeletion : PendingWrite
{
    public ReplyDeletion(string workspace, string agentId, string replyId)
        : base(workspace)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        ArgumentException.ThrowIfNullOrEmpty(replyId);
        AgentId = agentId;
        ReplyId = replyId;
    }

    public string AgentId { get; }

    public string ReplyId { get; }

    public override void Apply(ILedgerWriter writer) => writer.DeleteReply(this);
}
