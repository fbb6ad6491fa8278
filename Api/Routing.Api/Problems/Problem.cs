using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Routing.Api.Problems;

/// <summary>
/// RFC 9457 problem details with our extensions: <c>code</c>, a stable machine-readable reason; <c>field</c>, the
/// request field at fault; and <c>errors</c> when several fields are.
/// </summary>
public static class Problem
{
    public const string ContentType = "application/problem+json";

    public static ApiProblem Of(int status, string code, string detail, string? field = null, TimeSpan? retryAfter = null) =>
        Of(status, [new ApiError(field, code, detail)], retryAfter);

    public static ApiProblem Of(int status, IReadOnlyList<ApiError> errors, TimeSpan? retryAfter = null)
    {
        var details = Details(status, errors);
        return status switch
        {
            StatusCodes.Status400BadRequest => new BadRequestProblem(details, retryAfter),
            StatusCodes.Status401Unauthorized => new UnauthorizedProblem(details, retryAfter),
            StatusCodes.Status403Forbidden => new ForbiddenProblem(details, retryAfter),
            StatusCodes.Status404NotFound => new NotFoundProblem(details, retryAfter),
            StatusCodes.Status409Conflict => new ConflictProblem(details, retryAfter),
            StatusCodes.Status413PayloadTooLarge => new TooLargeProblem(details, retryAfter),
            StatusCodes.Status415UnsupportedMediaType => new UnsupportedMediaTypeProblem(details, retryAfter),
            StatusCodes.Status503ServiceUnavailable => new UnavailableProblem(details, retryAfter),
            _ => new OtherProblem(details, retryAfter),
        };
    }

    public static BadRequestProblem BadRequest(string code, string detail, string? field = null) =>
        (BadRequestProblem)Of(StatusCodes.Status400BadRequest, code, detail, field);

    public static BadRequestProblem BadRequest(IReadOnlyList<ApiError> errors) =>
        (BadRequestProblem)Of(StatusCodes.Status400BadRequest, errors);

    public static UnauthorizedProblem Unauthorized(string code, string detail, string? field = null, TimeSpan? retryAfter = null) =>
        (UnauthorizedProblem)Of(StatusCodes.Status401Unauthorized, code, detail, field, retryAfter);

    public static ForbiddenProblem Forbidden(string code, string detail, string? field = null) =>
        (ForbiddenProblem)Of(StatusCodes.Status403Forbidden, code, detail, field);

    public static NotFoundProblem NotFound(string code, string detail, string? field = null) =>
        (NotFoundProblem)Of(StatusCodes.Status404NotFound, code, detail, field);

    public static ConflictProblem Conflict(string code, string detail, string? field = null) =>
        (ConflictProblem)Of(StatusCodes.Status409Conflict, code, detail, field);

    public static TooLargeProblem TooLarge(string code, string detail, string? field = null) =>
        (TooLargeProblem)Of(StatusCodes.Status413PayloadTooLarge, code, detail, field);

    public static UnsupportedMediaTypeProblem UnsupportedMediaType(string code, string detail) =>
        (UnsupportedMediaTypeProblem)Of(StatusCodes.Status415UnsupportedMediaType, code, detail, "Content-Type");

    public static UnavailableProblem Unavailable(string code, string detail, TimeSpan retryAfter) =>
        (UnavailableProblem)Of(StatusCodes.Status503ServiceUnavailable, code, detail, null, retryAfter);

    public static ProblemDetails Details(int status, IReadOnlyList<ApiError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
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

    private static string Title(int status) =>
        status switch
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
}

/// <summary>
/// A problem-details answer, written as <c>application/problem+json</c> with <c>Retry-After</c> when given. Each status
/// has a type of its own, so a handler's signature (<c>Results&lt;Ok&lt;T&gt;, NotFoundProblem, …&gt;</c>) tells the
/// OpenAPI document which problems it answers.
/// </summary>
public abstract class ApiProblem(ProblemDetails details, TimeSpan? retryAfter) : IResult, IStatusCodeHttpResult
{
    public ProblemDetails Details { get; } = details;

    public int? StatusCode => Details.Status;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (retryAfter is { } wait)
        {
            httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(
                System.Globalization.CultureInfo.InvariantCulture
            );
        }
        await Results.Problem(Details).ExecuteAsync(httpContext);
    }

    /// <summary>Declares the status with a problem-details body on the endpoint, for the OpenAPI document.</summary>
    protected static void Declare(int status, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), [Problem.ContentType]));
    }
}

/// <summary>400: the request is invalid (every field at fault named in <c>errors</c>).</summary>
public sealed class BadRequestProblem(ProblemDetails details, TimeSpan? retryAfter)
    : ApiProblem(details, retryAfter),
        IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(StatusCodes.Status400BadRequest, builder);
}

/// <summary>401: no credential that holds, or a sign-in refused.</summary>
public sealed class UnauthorizedProblem(ProblemDetails details, TimeSpan? retryAfter)
    : ApiProblem(details, retryAfter),
        IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(StatusCodes.Status401Unauthorized, builder);
}

/// <summary>403: the credential may not do this to this resource (an agent acting as another, say).</summary>
public sealed class ForbiddenProblem(ProblemDetails details, TimeSpan? retryAfter)
    : ApiProblem(details, retryAfter),
        IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(StatusCodes.Status403Forbidden, builder);
}

/// <summary>404: no such resource in the caller's workspace.</summary>
public sealed class NotFoundProblem(ProblemDetails details, TimeSpan? retryAfter)
    : ApiProblem(details, retryAfter),
        IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(StatusCodes.Status404NotFound, builder);
}

/// <summary>409: the resource's state does not allow this.</summary>
public sealed class ConflictProblem(ProblemDetails details, TimeSpan? retryAfter)
    : ApiProblem(details, retryAfter),
        IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(StatusCodes.Status409Conflict, builder);
}

/// <summary>413: a body or a field is larger than the server takes.</summary>
public sealed class TooLargeProblem(ProblemDetails details, TimeSpan? retryAfter)
    : ApiProblem(details, retryAfter),
        IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        Declare(StatusCodes.Status413PayloadTooLarge, builder);
}

/// <summary>415: a body of a type the endpoint does not read (an import that is neither CSV nor Markdown).</summary>
public sealed class UnsupportedMediaTypeProblem(ProblemDetails details, TimeSpan? retryAfter)
    : ApiProblem(details, retryAfter),
        IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        Declare(StatusCodes.Status415UnsupportedMediaType, builder);
}

/// <summary>503 with <c>Retry-After</c>: refused for now, nothing changed.</summary>
public sealed class UnavailableProblem(ProblemDetails details, TimeSpan? retryAfter)
    : ApiProblem(details, retryAfter),
        IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        Declare(StatusCodes.Status503ServiceUnavailable, builder);
}

/// <summary>Any other status (422, 429, 500): declared on the endpoints by hand or by the OpenAPI transformers.</summary>
public sealed class OtherProblem(ProblemDetails details, TimeSpan? retryAfter) : ApiProblem(details, retryAfter);
