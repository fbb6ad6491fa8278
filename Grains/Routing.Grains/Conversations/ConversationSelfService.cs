using Routing.Contracts;
using Routing.Contracts.Knowledge;
using Routing.Ledger;

namespace Routing.Grains.Conversations;

/// <summary>
/// The conversation's self-service step (docs/self-service.md): each message the customer writes there is put to the
/// knowledge base, and <see cref="SelfServiceStep"/> decides — the bot answers with one article or a few, each a message
/// of the transcript (so the agent who takes the conversation later sees the whole exchange), or the conversation goes to
/// its queue's line, its wait for a person starting then. The customer ends the step by taking an answer (Resolved) or
/// asking for a person. It runs on the grain's turn, over its <see cref="ConversationJournal"/>.
/// </summary>
internal sealed class ConversationSelfService(
    ConversationJournal journal,
    ConversationCalls calls,
    ConversationParties parties,
    RoutingOptions options,
    RoutingClock clock
)
{
    /// <summary>
    /// The customer wrote <paramref name="message"/> (written already) in the self-service step: the bot answers, or the
    /// conversation is escalated — then its place in line is returned.
    /// </summary>
    public async Task<QueuePosition?> CustomerWroteAsync(ConversationRecord record, TranscriptMessage message)
    {
        var mode = journal.SelfServiceMode ?? SelfServiceModes.Suggest;
        var hits = SelfServiceStep.AsksForPerson(message.Text)
            ? []
            : await calls.SearchAsync(new KnowledgeQuery(message.Text, Limit: SelfServiceStep.SuggestionCount));
        switch (SelfServiceStep.Decide(mode, message.Text, hits))
        {
            case SelfServiceStep.Escalate escalate:
                return await EscalateAsync(record, escalate.Reason);
            case SelfServiceStep.Answer answer:
                foreach (var article in answer.Articles)
                {
                    var text = SelfServiceStep.MessageText(article);
                    if (
                        ConversationLifecycle.BotMessage(journal.TranscriptCount, text, article.ArticleId, options, clock.UtcNow) is { } bot
                    )
                    {
                        await journal.CommitAsync(new ConversationLifecycle.Step(record), bot);
                        parties.MessageAdded(record, bot);
                    }
                }
                break;
        }
        return null;
    }

    /// <summary>Into the queue's line, for <paramref name="reason"/>: written first, then the queue and the customers hear it.</summary>
    public async Task<QueuePosition> EscalateAsync(ConversationRecord record, string reason)
    {
        var step = ConversationLifecycle.Escalate(record, reason, clock.UtcNow);
        await journal.CommitAsync(step);
        await calls.RecordSelfServiceAsync(record.QueueId, deflected: false);
        return await parties.EnterLineAsync(step.Next, previousQueueId: null);
    }

    /// <summary>The customer takes <paramref name="articleId"/> as their answer: it must be one the bot gave them.</summary>
    public async Task ResolveAsync(ConversationRecord record, string articleId)
    {
        ConversationLifecycle.RequireSelfService(record, "resolved");
        if (!journal.MessagesAfter(0).Any(m => m.From == "bot" && m.ArticleId == articleId))
        {
            throw RoutingException.Invalid(
                "articleId",
                $"Article '{articleId}' was not given in conversation '{record.ConversationId}'.",
                "article-not-given"
            );
        }
        await journal.CommitAsync(ConversationLifecycle.Resolve(record, articleId, clock.UtcNow));
        parties.Resolved();
        await calls.RecordSelfServiceAsync(record.QueueId, deflected: true);
    }
}
