using Microsoft.AspNetCore.Http.Connections;

namespace Routing.Client;

/// <summary>Where the server is and how to reach it.</summary>
public sealed class RealtimeOptions
{
    /// <summary>The server's base address, e.g. <c>http://localhost:5080</c>.</summary>
    public required Uri Server { get; init; }

    /// <summary>
    /// The bearer token to connect with, asked for on every (re)connect: an agent's own, a supervisor's, or an
    /// admin's (which acts for the agent an <see cref="AgentConnection"/> names). A customer connection uses its
    /// customer token instead.
    /// </summary>
    public Func<Task<string?>>? AccessTokenProvider { get; init; }

    /// <summary>An HTTP handler to use instead of the default (tests pass an in-memory server's).</summary>
    public Func<HttpMessageHandler>? HttpMessageHandler { get; init; }

    /// <summary>
    /// Transports to allow; default all (WebSockets first). WebSockets alone connects straight to the WebSocket,
    /// without the negotiation request: half the requests when thousands of desks reconnect at once.
    /// </summary>
    public HttpTransportType? Transports { get; init; }

    /// <summary>Delays between automatic reconnect attempts; default 0, 1, 2, 5, 10 s and then every 10 s, for ever.</summary>
    public IReadOnlyList<TimeSpan> ReconnectDelays { get; init; } =
    [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)];
}
