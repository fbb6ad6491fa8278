using Routing.Contracts;

namespace Routing.Grains;

/// <summary>
/// Where grains publish <see cref="RoutingEvent"/>s, in the silo that hosts them. Publishing must be cheap and
/// must not throw: it runs on the routing hot path. The default sink drops everything; the realtime layer and
/// tests register their own.
/// </summary>
public interface IRoutingEventSink
{
    void Publish(RoutingEvent routingEvent);
}

internal sealed class NoRoutingEvents : IRoutingEventSink
{
    public void Publish(RoutingEvent routingEvent)
    {
    }
}
