using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Routing.Api.Problems;

/// <summary>
/// RFC 9457 problem details with our extensions: <c>code</c>, a stable machine-readable reason; <c>field</c>, the
/// request field at fault; and <c>errors</c> when several fields are.
/// </summary>
public static class Problem
{
    public static IResult Of(int status, string code, string detail, string? field = null, TimeSpan? retryAfter = null) =>
        new ProblemResult(Details(status, [new ApiError(field, code, detail)]), retryAfter);

    public static IResult Of(int status, IReadOnlyList<ApiError> errors) => new ProblemResult(Details(status, errors), null);

    public static ProblemDetails Details(int status, IReadOnlyList<ApiError> errors)
    {
        var first = errors[0];
        var details = new ProblemDetails
        {
            Status = status,
            Title = Title(status),
            Detail = errors.Count == 1 ? first.Message : $"{first.Message} (and {errors.Count - 1} more)",
            Type = $"urn:routing:problem:{first.Code}",
        };
        details.Extensions["code"] = first.Code;
        details.Extensions["field"] = first.Field;
        if (errors.Count > 1)
        {
            details.Extensions["errors"] = errors;
        }
        return details;
    }

    private static string Title(int status) => status switch
    {
        400 => "The request is invalid.",
        401 => "Sign in first.",
        403 => "Not allowed.",
        404 => "Not found.",
        409 => "The request conflicts with the current state.",
        413 => "The request is too large.",
        429 => "Too many requests.",
        503 => "The service is at capacity; try again shortly.",
        _ => "The request failed.",
    };

    /// <summary>Writes the problem as <c>application/problem+json</c>, with <c>Retry-After</c> when given.</summary>
    private sealed class ProblemResult(ProblemDetails details, TimeSpan? retryAfter) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => details.Status;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            if (retryAfter is { } wait)
            {
                httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            await Results.Problem(details).ExecuteAsync(httpContext);
        }
    }
}
