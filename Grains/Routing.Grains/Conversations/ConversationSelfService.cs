using Microsoft.Extensions.Logging;
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
    RoutingClock clock,
    ILogger logger
)
{
    /// <summary>
    /// The customer wrote <paramref name="message"/> (written already, and so acknowledged) in the self-service step: the
    /// bot answers, or the conversation is escalated — then its place in line is returned. What fails from here on does
    /// not fail the message: a search that fails escalates to a person; an answer that cannot be written is lost (the
    /// customer may ask again, or for a person); an escalation written but not yet in line is put there by the queue's
    /// line check (docs/reliability.md).
    /// </summary>
    public async Task<QueuePosition?> CustomerWroteAsync(ConversationRecord record, TranscriptMessage message)
    {
        var mode = journal.SelfServiceMode ?? SelfServiceModes.Suggest;
        IReadOnlyList<KnowledgeHit> hits = [];
        if (!SelfServiceStep.AsksForPerson(message.Text))
        {
            try
            {
                hits = await calls.SearchAsync(new KnowledgeQuery(message.Text, Limit: SelfServiceStep.SuggestionCount));
            }
            catch (Exception e)
            {
                Log.SelfServiceFailed(logger, e, record.ConversationId);
                return await EscalateAsync(record, SelfServiceStep.Unavailable);
            }
        }
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
                        try
                        {
                            await journal.CommitAsync(new ConversationLifecycle.Step(record), bot);
                        }
                        catch (Exception e)
                        {
                            Log.SelfServiceFailed(logger, e, record.ConversationId);
                            return null;
                        }
                        parties.MessageAdded(record, bot);
                    }
                }
                break;
        }
        return null;
    }

    /// <summary>
    /// Into the queue's line, for <paramref name="reason"/>: written first (a failed write fails the call and changes
    /// nothing), then the queue and the customers hear it. A line that cannot be reached then leaves the conversation to
    /// the queue's line check; the escalation stands.
    /// </summary>
    public async Task<QueuePosition?> EscalateAsync(ConversationRecord record, string reason)
    {
        var step = ConversationLifecycle.Escalate(record, reason, clock.UtcNow);
        await journal.CommitAsync(step);
        await calls.RecordSelfServiceAsync(record.QueueId, deflected: false);
        try
        {
            return await parties.EnterLineAsync(step.Next, previousQueueId: null);
        }
        catch (Exception e) when (e is not RoutingException)
        {
            Log.SelfServiceFailed(logger, e, record.ConversationId);
            return null;
        }
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
