using Routing.Api.Problems;

namespace Routing.Silo.Security;

/// <summary>
/// A request whose declared length is over <see cref="RoutingSiloExtensions.MaxRequestBodyBytes"/> is answered 413
/// with the problem <c>request-too-large</c> before anything reads it. Kestrel enforces the same limit on bodies
/// sent without a length, as they arrive.
/// </summary>
public static class RequestBodyLimit
{
    public static WebApplication UseRequestBodyLimit(this WebApplication app)
    {
        app.Use(
            async (context, next) =>
            {
                if (context.Request.ContentLength > RoutingSiloExtensions.MaxRequestBodyBytes)
                {
                    context.Response.Headers.Connection = "close"; // the body is not read: the connection is not reused
                    await Problem
                        .Of(
                            StatusCodes.Status413PayloadTooLarge,
                            "request-too-large",
                            $"The request body is larger than the server accepts ({RoutingSiloExtensions.MaxRequestBodyBytes / 1024} KB)."
                        )
                        .ExecuteAsync(context);
                    return;
                }
                await next(context);
            }
        );
        return app;
    }
}
