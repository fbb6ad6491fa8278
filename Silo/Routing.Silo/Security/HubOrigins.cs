using Routing.Api.Problems;

namespace Routing.Silo.Security;

/// <summary>
/// Browsers send WebSockets and hub requests cross-site without asking (CORS does not cover WebSockets), so a page on
/// another site could use a visitor's connection to our hubs. A hub request that carries an <c>Origin</c> is let in
/// only from this server's own origin or one listed in <c>Routing:AllowedOrigins</c> (e.g. a business's site that
/// talks to the customer hub itself); anything else is answered 403 <c>origin-not-allowed</c>. Clients that are not
/// browsers send no <c>Origin</c> and are not affected.
/// </summary>
public static class HubOrigins
{
    public static WebApplication UseHubOrigins(this WebApplication app)
    {
        var allowed = app.Configuration.GetSection("Routing:AllowedOrigins").Get<string[]>() ?? [];
        var listed = new HashSet<string>(allowed.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);
        app.Use(
            async (context, next) =>
            {
                var request = context.Request;
                if (
                    request.Path.StartsWithSegments("/hubs")
                    && request.Headers.Origin is { Count: > 0 } origin
                    && !IsOwn(origin.ToString(), request)
                    && !listed.Contains(origin.ToString())
                )
                {
                    await Problem
                        .Of(
                            StatusCodes.Status403Forbidden,
                            "origin-not-allowed",
                            "Pages of this origin may not connect to the hubs; add it to Routing:AllowedOrigins if it should.",
                            "Origin"
                        )
                        .ExecuteAsync(context);
                    return;
                }
                await next(context);
            }
        );
        return app;
    }

    /// <summary>
    /// The page came from this server: the same host name. Neither scheme nor port is compared — a load balancer that
    /// ends TLS, or maps ports, passes requests on with its own. A proxy that rewrites the host name makes our own
    /// pages look foreign: list the public origin in <c>Routing:AllowedOrigins</c>, and set <c>AllowedHosts</c> so a
    /// host name pointed at the server by someone else (DNS rebinding) is refused outright.
    /// </summary>
    private static bool IsOwn(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase);
}
