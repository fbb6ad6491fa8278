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
    /// customer may ask again, or for a person); an escalation refused by a full line is answered by the assistant saying
    /// so, and one that fails otherwise leaves the conversation in the step, where the customer may ask again.
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
                return await EscalateForAsync(record, SelfServiceStep.Unavailable, message);
            }
        }
        switch (SelfServiceStep.Decide(mode, message.Text, hits))
        {
            case SelfServiceStep.Escalate escalate:
                return await EscalateForAsync(record, escalate.Reason, message);
            case SelfServiceStep.Answer answer:
                foreach (var article in answer.Articles)
                {
                    if (!await SayAsync(record, SelfServiceStep.MessageText(article), article.ArticleId))
                    {
                        return null;
                    }
                }
                break;
        }
        return null;
    }

    /// <summary>
    /// Into the queue's line, for <paramref name="reason"/>, held to the queue's maximum length as an arrival is: the line
    /// takes it first, so a full one refuses it (<c>queue-full</c>) and nothing changes. Then it is written (a failed write
    /// takes it out of the line again, fails the call and changes nothing), and the customers hear their place.
    /// </summary>
    public async Task<QueuePosition?> EscalateAsync(ConversationRecord record, string reason)
    {
        var step = ConversationLifecycle.Escalate(record, reason, clock.UtcNow);
        var position = await calls.EnqueueAsync(step.Next, isArrival: true);
        await journal.CommitAsync(step, null, undo: () => calls.RemoveAsync(record.QueueId));
        await calls.RecordSelfServiceAsync(record.QueueId, deflected: false);
        try
        {
            await parties.WatchLineAsync(step.Next, position, previousQueueId: null);
        }
        catch (Exception e) when (e is not RoutingException)
        {
            Log.SelfServiceFailed(logger, e, record.ConversationId); // in line and written: only the pushed place is late
        }
        return position;
    }

    /// <summary>An escalation the customer's message asked for, or that it needs; what refuses it does not fail the message.</summary>
    private async Task<QueuePosition?> EscalateForAsync(ConversationRecord record, string reason, TranscriptMessage message)
    {
        try
        {
            return await EscalateAsync(record, reason);
        }
        catch (RoutingException e) when (e.Code == SelfServiceStep.LineFull)
        {
            await SayAsync(record, SelfServiceStep.LineFullText(message.Text), articleId: null);
            return null;
        }
        catch (Exception e)
        {
            Log.SelfServiceFailed(logger, e, record.ConversationId);
            return null;
        }
    }

    /// <summary>The assistant writes <paramref name="text"/> in the transcript; false when it could not (the transcript is full, or the
    /// write failed).</summary>
    private async Task<bool> SayAsync(ConversationRecord record, string text, string? articleId)
    {
        if (ConversationLifecycle.BotMessage(journal.TranscriptCount, text, articleId, options, clock.UtcNow) is not { } bot)
        {
            return false;
        }
        try
        {
            await journal.CommitAsync(new ConversationLifecycle.Step(record), bot);
        }
        catch (Exception e)
        {
            Log.SelfServiceFailed(logger, e, record.ConversationId);
            return false;
        }
        parties.MessageAdded(record, bot);
        return true;
    }

    /// <summary>What the customer is typing, answered before it is sent: the good matches only, as the step would answer them.</summary>
    public async Task<IReadOnlyList<Suggestion>> SuggestAsync(ConversationRecord record, string text)
    {
        ConversationLifecycle.RequireSelfService(record, "given suggestions");
        var hits = await calls.SearchAsync(new KnowledgeQuery(text, Limit: SelfServiceStep.SuggestionCount));
        return [.. hits.Where(h => h.GoodMatch).Select(h => new Suggestion(h.Article.ArticleId, h.Article.Title))];
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
