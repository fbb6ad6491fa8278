namespace Routing.Silo.Security;

/// <summary>
/// Response headers that keep a browser from being turned against our users: every response says not to guess
/// content types and not to leak full URLs in referrers; the pages add a Content-Security-Policy that allows only
/// our own scripts, styles and connections (no inline script or style, no plugins, no base or form tricks) and may
/// not be framed — except the chat widget, which businesses frame from their own sites
/// (<c>Routing:Chat:FrameAncestors</c>, by default any site).
/// </summary>
public static class SecurityHeaders
{
    private const string PagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "manifest-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'";

    /// <summary>Adds the headers every response carries; call before the endpoints and static files.</summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use(
            (context, next) =>
            {
                // At the response's start, so an error page (whose handler clears the headers) carries them too.
                context.Response.OnStarting(() =>
                {
                    var headers = context.Response.Headers;
                    headers.XContentTypeOptions = "nosniff";
                    headers["Referrer-Policy"] = "same-origin";
                    return Task.CompletedTask;
                });
                return next(context);
            }
        );
        return app;
    }

    /// <summary>The headers of one of our HTML pages; <paramref name="framedBy"/> lists who may frame it (none when null).</summary>
    public static void ForPage(HttpResponse response, string? framedBy)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = $"{PagePolicy}; frame-ancestors {framedBy ?? "'none'"}";
        if (framedBy is null)
        {
            headers.XFrameOptions = "DENY";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
        }
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
    }

    /// <summary>Who may frame the chat widget: <c>Routing:Chat:FrameAncestors</c> (CSP sources, space-separated), by default any
    /// site.</summary>
    public static string ChatFrameAncestors(IConfiguration configuration) =>
        configuration["Routing:Chat:FrameAncestors"] is { Length: > 0 } sources ? sources : "*";
}
