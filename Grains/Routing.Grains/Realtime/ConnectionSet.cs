using Microsoft.Extensions.Logging;
using Routing.Contracts.Realtime;

namespace Routing.Grains.Realtime;

/// <summary>
/// The realtime connections of one agent or one conversation's customer: each with the relay of the silo it
/// lives in and when that relay last renewed it. Delivery goes once to each relay, which fans out to its own
/// connections; a relay that cannot be reached loses its connections here (its silo is gone).
/// </summary>
internal sealed class ConnectionSet(ILogger logger)
{
    private readonly Dictionary<string, (IRealtimeRelay Relay, DateTimeOffset RenewedAt)> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    /// <summary>When the least recently renewed connection was renewed, or null with none.</summary>
    public DateTimeOffset? OldestRenewal => _connections.Count == 0 ? null : _connections.Values.Min(c => c.RenewedAt);

    public void Add(string connectionId, IRealtimeRelay relay, DateTimeOffset now) => _connections[connectionId] = (relay, now);

    public bool Contains(string connectionId) => _connections.ContainsKey(connectionId);

    public bool Remove(string connectionId) => _connections.Remove(connectionId);

    /// <summary>
    /// Renews the relay's connections, adding those not known here. Returns true if any was new: this activation
    /// did not know them (it was activated afresh, elsewhere, after its silo died), so they missed what it told.
    /// </summary>
    public bool Renew(IEnumerable<string> connectionIds, IRealtimeRelay relay, DateTimeOffset now)
    {
        var added = false;
        foreach (var id in connectionIds)
        {
            added |= !_connections.ContainsKey(id);
            _connections[id] = (relay, now);
        }
        return added;
    }

    /// <summary>Drops connections not renewed since <paramref name="cutoff"/>; returns how many.</summary>
    public int Expire(DateTimeOffset cutoff)
    {
        var stale = _connections.Where(c => c.Value.RenewedAt < cutoff).Select(c => c.Key).ToList();
        foreach (var id in stale)
        {
            _connections.Remove(id);
        }
        return stale.Count;
    }

    /// <summary>
    /// Sends to each relay once, without waiting. Runs on the grain's scheduler, so dropping a failed relay's
    /// connections afterwards is safe; <paramref name="onLost"/> runs if that left none.
    /// </summary>
    public void Send(Func<IRealtimeRelay, Task> send, Action? onLost = null)
    {
        foreach (var relay in _connections.Values.Select(c => c.Relay).Distinct().ToList())
        {
            _ = SendAsync(relay, send, onLost);
        }
    }

    private async Task SendAsync(IRealtimeRelay relay, Func<IRealtimeRelay, Task> send, Action? onLost)
    {
        try
        {
            await send(relay);
        }
        catch (Exception e)
        {
            Log.RelayUnreachable(logger, e);
            var hadAny = _connections.Count > 0;
            foreach (var id in _connections.Where(c => c.Value.Relay.Equals(relay)).Select(c => c.Key).ToList())
            {
                _connections.Remove(id);
            }
            if (hadAny && _connections.Count == 0)
            {
                onLost?.Invoke();
            }
        }
    }
}
