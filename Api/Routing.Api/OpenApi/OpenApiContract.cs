using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Routing.Api.Auth;
using Routing.Api.Conversations;
using Routing.Api.Problems;
using Routing.Api.Reports;
using Routing.Contracts.Knowledge;

namespace Routing.Api.OpenApi;

/// <summary>
/// What the OpenAPI document (<c>/openapi/v1.json</c>) says beyond what the endpoints' signatures give: the security
/// schemes and each operation's, the answers every operation can give (401, 403, 429, 500, 503 and a body's 400 and
/// 413, as the middleware and the exception handler give them), the limits of parameters and of request fields
/// (<see cref="FieldLimits"/>), and no <c>servers</c> (the document describes the server that serves it).
/// tests/openapi-lint lints the result; docs/api.md, "The OpenAPI document", tells integrators what is in it.
/// </summary>
public static class OpenApiContract
{
    public const string BearerScheme = "bearer";
    public const string ApiKeyScheme = "apiKey";

    /// <summary>The longest wait a <c>Retry-After</c> of this server asks for (an account locked after failed sign-ins).</summary>
    private const int MaxRetryAfterSeconds = 86_400;

    public static void Configure(OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddDocumentTransformer(DocumentAsync);
        options.AddDocumentTransformer(HubContract.DocumentAsync);
        options.AddOperationTransformer(OperationAsync);
        options.AddSchemaTransformer(FieldLimits.TransformAsync);
        options.AddSchemaTransformer(ProblemAsync);
    }

    /// <summary>Our problems' extensions (<see cref="Problem"/>), which the framework's ProblemDetails does not know.</summary>
    private static async Task ProblemAsync(
        OpenApiSchema schema,
        OpenApiSchemaTransformerContext context,
        CancellationToken cancellationToken
    )
    {
        if (context.JsonTypeInfo.Type != typeof(ProblemDetails) || context.JsonPropertyInfo is not null)
        {
            return;
        }
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["code"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description =
                "A stable, machine-readable reason (docs/api.md, \"Problems and error codes\"); `type` is urn:routing:problem:{code}.",
        };
        schema.Properties["field"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String | JsonSchemaType.Null,
            Description = "The request field at fault, as a path (`queues[1].rank`), if one is.",
        };
        schema.Properties["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Description = "Every field at fault, when several are.",
            Items = await context.GetOrCreateSchemaAsync(typeof(ApiError), null, cancellationToken),
        };
    }

    private static async Task DocumentAsync(
        OpenApiDocument document,
        OpenApiDocumentTransformerContext context,
        CancellationToken cancellationToken
    )
    {
        document.Info = new OpenApiInfo
        {
            Title = "Routing API",
            Version = RoutingVersion.Current, // the one version of server and packages (Directory.Build.props)
            Description =
                "Contact-center routing: queues, agents and conversations over REST. Errors are RFC 9457 problem details "
                + "with a stable `code`; every limit a request field has is stated in its schema. See docs/api.md.",
            License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
        };
        // The document is served by the server it describes: no absolute address (which would be whatever host the
        // request named, and http:// behind a proxy that ends TLS).
        document.Servers = [];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description =
                "A JSON Web Token (JWS) from POST /api/auth/token, a customer token from a conversation's creation, or a token "
                + "of the configured OpenID Connect authority. Tokens are checked as RFC8725 (JWT best current practices) asks: "
                + "this server's own are HS256 only (no other algorithm, never 'none'), and issuer, audience and lifetime are always "
                + "validated.",
        };
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeys.Header,
            Description =
                "An integration's API key (POST /api/keys): rk:{workspace}:{keyId}:{secret}. It acts with the role 'integration'.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        FieldLimits.RequiredRecords(document);
        if (!document.Components.Schemas.ContainsKey(nameof(ProblemDetails)))
        {
            document.Components.Schemas[nameof(ProblemDetails)] = await context.GetOrCreateSchemaAsync(
                typeof(ProblemDetails),
                null,
                cancellationToken
            );
        }
    }

    private static Task OperationAsync(
        OpenApiOperation operation,
        OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken
    )
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var allowed = metadata.OfType<AllowedRoles>().LastOrDefault();
        var anonymous = allowed is null && metadata.OfType<IAllowAnonymous>().Any();
        var document = context.Document!;

        // Each operation says which roles it lets in, so integrators (and the authorization tests) read it here.
        if (allowed is not null)
        {
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions["x-roles"] = new JsonNodeExtension(new JsonArray([.. allowed.Roles.Select(r => JsonValue.Create(r))]));
        }

        // Security: none for the anonymous operations; a bearer token, or an API key where the integration role is let in.
        operation.Security = anonymous ? [] : [Requirement(BearerScheme, document)];
        if (!anonymous && (allowed is null || allowed.Roles.Contains(Contracts.Access.StaffRoles.Integration)))
        {
            operation.Security.Add(Requirement(ApiKeyScheme, document));
        }

        operation.Responses ??= [];
        var responses = operation.Responses;
        if (operation.RequestBody is not null)
        {
            Add(
                responses,
                StatusCodes.Status400BadRequest,
                "The request is invalid: a body that is not JSON of this shape (`malformed-request`), or fields "
                    + "out of their limits (each named in `errors`).",
                document
            );
            Add(
                responses,
                StatusCodes.Status413PayloadTooLarge,
                "The body is larger than the server takes (`request-too-large`).",
                document
            );
        }
        if (!anonymous)
        {
            Add(
                responses,
                StatusCodes.Status401Unauthorized,
                "No credential, or one that is expired or not valid (`unauthorized`).",
                document
            );
            if (allowed is not null)
            {
                Add(
                    responses,
                    StatusCodes.Status403Forbidden,
                    $"The credential's role is not one of {string.Join(", ", allowed.Roles)} (`forbidden`).",
                    document
                );
            }
        }
        Add(
            responses,
            StatusCodes.Status429TooManyRequests,
            "Too many requests from this client, address or workspace (`rate-limited`); " + "wait `Retry-After` seconds.",
            document,
            retryAfter: true
        );
        if (ReachesTheCluster(metadata))
        {
            Add(
                responses,
                StatusCodes.Status503ServiceUnavailable,
                "Refused for now, nothing changed; try again after `Retry-After` seconds: the "
                    + "cluster did not answer in time (`unavailable`), the server is taking as many new conversations as it can "
                    + "(`overloaded`), "
                    + "the queue is full (`queue-full`), or the ledger failed (`ledger-unavailable`).",
                document,
                retryAfter: true
            );
        }
        Add(responses, StatusCodes.Status500InternalServerError, "The server failed (`internal-error`); the failure is logged.", document);
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            Limit(parameter, operation.OperationId);
        }
        if (
            operation.OperationId == "ReportIntervals"
            && responses.TryGetValue("200", out var report)
            && report.Content?.TryGetValue(ReportsApi.CsvContentType, out var csv) == true
        )
        {
            csv.Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                MaxLength = null,
                Description = "RFC 4180 CSV: a header, then a row per interval and key.",
            };
        }
        return Task.CompletedTask;
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    /// <summary>A problem-details answer, unless the endpoint declared that status itself.</summary>
    private static void Add(OpenApiResponses responses, int status, string description, OpenApiDocument document, bool retryAfter = false)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (responses.TryGetValue(key, out var existing))
        {
            if (existing is OpenApiResponse declared)
            {
                if (declared.Description == ReasonPhrases.GetReasonPhrase(status))
                {
                    declared.Description = description; // the framework's "Not Found" says less than ours
                }
                if (retryAfter)
                {
                    declared.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    declared.Headers.TryAdd("Retry-After", RetryAfter());
                }
            }
            return;
        }
        var response = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [Problem.ContentType] = new() { Schema = new OpenApiSchemaReference(nameof(ProblemDetails), document) },
            },
        };
        if (retryAfter)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader> { ["Retry-After"] = RetryAfter() };
        }
        responses[key] = response;
    }

    private static OpenApiHeader RetryAfter() =>
        new()
        {
            Description = "Seconds to wait before trying again.",
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer,
                Format = "int32",
                Minimum = "0",
                Maximum = MaxRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };

    /// <summary>Whether the handler calls grains, and so may meet a cluster that does not answer in time (503).</summary>
    private static bool ReachesTheCluster(IList<object> metadata) =>
        metadata.OfType<MethodInfo>().Any(m => m.GetParameters().Any(p => p.ParameterType == typeof(IGrainFactory)));

    /// <summary>Path ids as <see cref="RequestValidator.IsId"/> takes them, the idempotency key, and the report's query.</summary>
    private static void Limit(OpenApiParameter parameter, string? operationId)
    {
        if (parameter.Schema is not OpenApiSchema schema)
        {
            return;
        }
        switch (parameter.In, parameter.Name, operationId)
        {
            case (ParameterLocation.Path, _, _):
                FieldLimits.Id(schema);
                break;
            case (ParameterLocation.Header, IdempotencyKey.Header, _):
                parameter.Description =
                    "A key of the caller's making (a random UUID per new conversation): a retry with the same key within "
                    + "24 hours answers the first result.";
                FieldLimits.Text(schema, IdempotencyKey.MaxLength, 1);
                schema.Pattern = IdempotencyKey.Pattern;
                break;
            case (ParameterLocation.Query, "from" or "to", "ListUnansweredQuestions"):
                parameter.Required = true;
                parameter.Description = "ISO-8601, e.g. 2026-11-11T00:00:00Z.";
                schema.Format = "date-time";
                FieldLimits.Text(schema, Limits.TimeLength, 1);
                break;
            case (ParameterLocation.Query, "limit", "ListUnansweredQuestions"):
                FieldLimits.Range(schema, new Bounds(1, Knowledge.KnowledgeApi.MaxUnanswered));
                schema.MaxLength = 4; // also read from its digits
                schema.Default = JsonValue.Create(500);
                break;
            case (ParameterLocation.Query, "limit", "CustomerHistory"):
                FieldLimits.Range(schema, new Bounds(1, Conversations.ConversationsApi.MaxHistory));
                schema.MaxLength = 3; // also read from its digits
                schema.Default = JsonValue.Create(Conversations.ConversationsApi.DefaultHistory);
                break;
            case (ParameterLocation.Query, "interval", "ReportKeywords"):
                parameter.Description = "A whole number of quarter hours, in minutes, hours or days: 15m, 30m, 1h (default), 1d.";
                FieldLimits.Text(schema, Limits.IntervalLength, 2);
                schema.Pattern = Limits.IntervalPattern;
                schema.Default = JsonValue.Create("1h");
                break;
            case (ParameterLocation.Query, "top", "ReportKeywords"):
                FieldLimits.Range(schema, new Bounds(1, ReportsApi.MaxTop));
                schema.MaxLength = 3; // also read from its digits
                schema.Default = JsonValue.Create(10);
                break;
            case (ParameterLocation.Query, "from" or "to", "ReportIntervals" or "ReportKeywords" or "ReportDispositions"):
                parameter.Required = true;
                parameter.Description = "ISO-8601, on a quarter hour, e.g. 2026-11-11T00:00:00Z.";
                schema.Format = "date-time";
                FieldLimits.Text(schema, Limits.TimeLength, 1);
                break;
            case (ParameterLocation.Query, "interval", "ReportIntervals"):
                parameter.Description = "A whole number of quarter hours, in minutes, hours or days: 15m (default), 30m, 1h, 1d.";
                FieldLimits.Text(schema, Limits.IntervalLength, 2);
                schema.Pattern = Limits.IntervalPattern;
                schema.Default = JsonValue.Create("15m");
                break;
            case (ParameterLocation.Query, "q", "SearchArticles"):
                parameter.Required = true;
                parameter.Description = "The question, as the customer or agent put it (Chinese, English or both).";
                FieldLimits.Text(schema, Limits.SearchTextLength, 1);
                break;
            case (ParameterLocation.Query, "q", "SuggestAnswers"):
                parameter.Required = true;
                parameter.Description = "What the customer has typed so far.";
                FieldLimits.Text(schema, Limits.SearchTextLength, 1);
                break;
            case (ParameterLocation.Query, "language", "SearchArticles"):
                FieldLimits.OneOf(schema, KnowledgeArticle.Languages);
                break;
            case (ParameterLocation.Query, "topic", "SearchArticles"):
                FieldLimits.Id(schema);
                break;
            case (ParameterLocation.Query, "limit", "SearchArticles"):
                FieldLimits.Range(schema, new Bounds(1, KnowledgeQuery.MaxLimit));
                schema.MaxLength = 2; // also read from its digits
                schema.Default = JsonValue.Create(5);
                break;
            case (ParameterLocation.Query, "by", "ReportIntervals"):
                FieldLimits.OneOf(schema, ReportsApi.Dimensions);
                schema.Default = JsonValue.Create("queue");
                break;
        }
    }
}
