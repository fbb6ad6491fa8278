using Routing.Contracts;

namespace Routing.Grains;

/// <summary>
/// Something that takes the <see cref="RoutingEvent"/>s the grains of its silo publish: the metrics, the load
/// simulator, the tests. Any number may be registered. Taking an event must be cheap and must not throw: it runs
/// on the routing hot path.
/// </summary>
public interface IRoutingEventSink
{
    void Publish(RoutingEvent routingEvent);
}

/// <summary>What grains publish through: every registered <see cref="IRoutingEventSink"/> of the silo.</summary>
public sealed class RoutingEvents(IEnumerable<IRoutingEventSink> sinks)
{
    private readonly IRoutingEventSink[] _sinks = sinks.ToArray();

    public void Publish(RoutingEvent routingEvent)
    {
        foreach (var sink in _sinks)
        {
            sink.Publish(routingEvent);
        }
    }
}
