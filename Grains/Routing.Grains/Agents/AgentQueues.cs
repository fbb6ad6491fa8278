using Microsoft.Extensions.Logging;
using Routing.Contracts;
using Routing.Grains.Queues;
using Routing.Policy;

namespace Routing.Grains.Agents;

/// <summary>
/// What the agent's queues hear of it (docs/architecture.md, "The grains"): whenever it gains room it asks them for
/// work in the order of its routing profile, and it tells them of every change so that their mirrors stay current.
/// With each change of its load the silo's event sinks hear it too. It reads the agent's <see cref="AgentStanding"/>
/// and runs on the grain's scheduler.
/// </summary>
internal sealed class AgentQueues(
    AgentStanding standing,
    string workspace,
    IGrainFactory grains,
    RoutingEvents events,
    RoutingClock clock,
    ILogger logger
)
{
    /// <summary>A definition may only name queues that exist: the first that does not is a 404 on its field.</summary>
    public async Task CheckExistAsync(AgentDefinition definition)
    {
        for (var i = 0; i < definition.Queues.Count; i++)
        {
            var queueId = definition.Queues[i].QueueId;
            if (await Queue(queueId).GetAsync() is null)
            {
                throw RoutingException.NotFound("queue", queueId, $"queues[{i}].queueId");
            }
        }
    }

    /// <summary>
    /// Tells the agent's queues what it can take. With room to spare it asks them for work in rank order
    /// (docs/routing.md, rule 3), telling each the room the queues before it have promised away; otherwise it just
    /// updates their mirrors.
    /// </summary>
    public async Task PublishAsync()
    {
        if (standing.Record is null)
        {
            return;
        }
        var availability = standing.Availability(clock.UtcNow);
        PublishLoad(availability);
        if (!standing.IsReady(availability))
        {
            Broadcast(availability);
            return;
        }
        var inUse = new Dictionary<string, int>(availability.InUse, StringComparer.Ordinal);
        foreach (var queueId in RoutingProfile.QueuesByRank(availability.QueueRanks))
        {
            try
            {
                var promised = await Queue(queueId).AgentReadyAsync(availability with { InUse = new Dictionary<string, int>(inUse) });
                foreach (var channel in promised)
                {
                    inUse[channel] = inUse.GetValueOrDefault(channel) + 1;
                }
            }
            catch (Exception e)
            {
                Log.QueueNotifyFailed(logger, e, queueId, standing.AgentId);
            }
        }
    }

    /// <summary>The silo's event sinks hear the agent's slots in use.</summary>
    public void PublishLoad(AgentAvailability availability) =>
        events.Publish(
            new AgentLoadChanged(
                clock.UtcNow,
                workspace,
                standing.AgentId,
                availability.InUse,
                availability.Capacity,
                availability.MaxTotal
            )
        );

    /// <summary>Updates the mirror of every queue the agent serves but <paramref name="except"/>, without waiting.</summary>
    public void Broadcast(AgentAvailability availability, string? except = null)
    {
        foreach (var membership in standing.Record!.Definition.Queues)
        {
            if (membership.QueueId != except)
            {
                _ = Queue(membership.QueueId).AgentChangedAsync(availability);
            }
        }
    }

    /// <summary>Queues the agent no longer serves hear it last: their mirrors let it go.</summary>
    public void Left(IEnumerable<string> queueIds)
    {
        foreach (var queueId in queueIds)
        {
            _ = Queue(queueId).AgentChangedAsync(standing.Availability(clock.UtcNow));
        }
    }

    private IQueueCallbacks Queue(string queueId) => grains.QueueCallbacks(workspace, queueId);
}
