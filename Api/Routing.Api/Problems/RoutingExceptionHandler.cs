using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Routing.Contracts;

namespace Routing.Api.Problems;

/// <summary>
/// The one boundary where exceptions become answers: a grain's <see cref="RoutingException"/> becomes the
/// problem details of its kind, with a retry hint when the system is full or its ledger failed; a body that is not
/// JSON, or too large, becomes 400 or 413; a cluster that cannot answer in time becomes 503 with a retry hint.
/// Anything else is logged and answered 500.
/// </summary>
public sealed partial class RoutingExceptionHandler(ILogger<RoutingExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var result = exception switch
        {
            RoutingException e => Problem.Of(
                StatusOf(e.Kind),
                e.Code,
                e.Message,
                e.Field,
                e.Kind switch
                {
                    RoutingErrorKind.Overloaded => TimeSpan.FromSeconds(5),
                    RoutingErrorKind.Unavailable => TimeSpan.FromSeconds(2),
                    _ => null,
                }
            ),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => Problem.Of(
                StatusCodes.Status413PayloadTooLarge,
                "request-too-large",
                "The request body is larger than the server accepts."
            ),
            BadHttpRequestException e => Problem.Of(StatusCodes.Status400BadRequest, "malformed-request", BadRequestDetail(e), "body"),
            TimeoutException or Orleans.Runtime.OrleansException => Problem.Of(
                StatusCodes.Status503ServiceUnavailable,
                "unavailable",
                "The routing cluster did not answer in time.",
                null,
                TimeSpan.FromSeconds(2)
            ),
            _ => null,
        };
        if (result is null)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            result = Problem.Of(StatusCodes.Status500InternalServerError, "internal-error", "The server failed to handle the request.");
        }
        else if (exception is not RoutingException)
        {
            LogRefused(logger, exception.GetType().Name, httpContext.Request.Method, httpContext.Request.Path);
        }
        await result.ExecuteAsync(httpContext);
        return true;
    }

    private static int StatusOf(RoutingErrorKind kind) =>
        kind switch
        {
            RoutingErrorKind.Invalid => StatusCodes.Status400BadRequest,
            RoutingErrorKind.NotFound => StatusCodes.Status404NotFound,
            RoutingErrorKind.Conflict => StatusCodes.Status409Conflict,
            RoutingErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
            RoutingErrorKind.Overloaded or RoutingErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
            RoutingErrorKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
            _ => StatusCodes.Status500InternalServerError,
        };

    /// <summary>A JSON error names where it is; other binding errors say what they are.</summary>
    private static string BadRequestDetail(BadHttpRequestException e) =>
        e.InnerException is System.Text.Json.JsonException json
            ? $"The body is not valid JSON for this request: {json.Message}"
            : e.Message;

    [LoggerMessage(2001, LogLevel.Error, "Unhandled exception on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(2002, LogLevel.Information, "Refused {Method} {Path}: {Exception}")]
    private static partial void LogRefused(ILogger logger, string exception, string method, string path);
}
