using Microsoft.AspNetCore.StaticFiles;
using Routing.Silo.Security;

namespace Routing.Silo;

/// <summary>
/// The browser pages (built from <c>Dashboard/</c> into wwwroot): <c>/dashboard</c> for supervisors, <c>/desk</c> for
/// agents, <c>/chat</c> the customer widget, <c>/embed.js</c> the widget's one-tag embed, and their assets — each
/// page with its <see cref="SecurityHeaders"/>.
/// </summary>
public static class RoutingPages
{
    private static readonly string[] Pages = ["dashboard", "desk", "chat"];

    public static WebApplication MapRoutingPages(this WebApplication app)
    {
        // The pages' HTML is served only by their routes below, with their security headers — never as a static file.
        var types = new FileExtensionContentTypeProvider();
        types.Mappings.Remove(".html");
        types.Mappings.Remove(".htm");
        app.UseStaticFiles(new StaticFileOptions { ContentTypeProvider = types });
        var chatFramedBy = SecurityHeaders.ChatFrameAncestors(app.Configuration);
        foreach (var page in Pages)
        {
            app.MapGet(
                    "/" + page,
                    (IWebHostEnvironment environment, HttpResponse response) =>
                    {
                        SecurityHeaders.ForPage(response, page == "chat" ? chatFramedBy : null);
                        var file = environment.WebRootFileProvider.GetFileInfo(page + ".html");
                        return file.Exists
                            ? Results.Stream(file.CreateReadStream(), "text/html; charset=utf-8")
                            : Results.Problem("The pages were not built: build the silo with npm available (Dashboard/).", statusCode: 404);
                    }
                )
                .ExcludeFromDescription()
                .AllowAnonymous();
        }
        return app;
    }
}
