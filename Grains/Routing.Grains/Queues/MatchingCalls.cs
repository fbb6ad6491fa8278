using Microsoft.Extensions.Logging;
using Routing.Contracts;

namespace Routing.Grains.Queues;

/// <summary>
/// The calls a queue's matching makes, for <see cref="QueueGrain"/>: offers through the conversation grains, overflow into
/// the other queue and back out of it, and the alarm for the line's next change by itself. Started on the queue's turn,
/// each call runs detached from it, and its answer comes back on a later turn of the same activation (the grain is
/// reentrant: see <see cref="QueueGrain"/>). A call that fails is logged here and reported as failed.
/// </summary>
internal sealed class MatchingCalls(
    IGrainFactory grains,
    string workspace,
    string queueId,
    IQueueCallbacks self,
    RoutingClock clock,
    ILogger logger
) : IMatchingCalls, IDisposable
{
    private readonly GrainAlarm _alarm = new(clock, logger);

    public void Offer(string conversationId, string agentId, int timeoutSeconds, Action<OfferAttempt?> answered) =>
        _ = OfferAsync(conversationId, agentId, timeoutSeconds, answered);

    public void Overflow(QueueTicket ticket, string overflowQueueId, Action failed) => _ = OverflowAsync(ticket, overflowQueueId, failed);

    public void Release(string otherQueueId, string conversationId) =>
        _ = grains.QueueCallbacks(workspace, otherQueueId).RemoveAsync(conversationId);

    public void WakeAt(DateTimeOffset at) => _alarm.Set(at, _ => self.TickAsync());

    public void Dispose() => _alarm.Dispose();

    private async Task OfferAsync(string conversationId, string agentId, int timeoutSeconds, Action<OfferAttempt?> answered)
    {
        OfferAttempt? attempt = null;
        try
        {
            attempt = await grains.ConversationCallbacks(workspace, conversationId).OfferToAsync(agentId, queueId, timeoutSeconds);
        }
        catch (Exception e)
        {
            Log.OfferFailed(logger, e, conversationId, agentId);
        }
        answered(attempt);
    }

    private async Task OverflowAsync(QueueTicket ticket, string overflowQueueId, Action failed)
    {
        try
        {
            await grains.QueueCallbacks(workspace, overflowQueueId).EnqueueAsync(ticket, isArrival: false);
        }
        catch (Exception e)
        {
            Log.OverflowFailed(logger, e, ticket.ConversationId, queueId, overflowQueueId);
            failed();
        }
    }
}
