using System.Net;
using System.Net.Sockets;

namespace Routing.Tests.Infrastructure;

internal static class FreePort
{
    // Below Linux's ephemeral range (32768–60999 by default): a port the kernel hands out for port 0 can be taken
    // by any outgoing connection (to PostgreSQL, between silos) before the server that was meant to bind it does.
    private const int First = 20000,
        Last = 32000;
    private static int _next = First + Random.Shared.Next(Last - First);

    /// <summary>A TCP port on loopback that nothing listens on right now, never the same twice in this process.</summary>
    public static int Next()
    {
        for (var tries = 0; tries < Last - First; tries++)
        {
            var port = First + (Interlocked.Increment(ref _next) - First) % (Last - First);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // in use: the next one
            }
        }
        throw new InvalidOperationException($"No free TCP port between {First} and {Last}.");
    }
}
