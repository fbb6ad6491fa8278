using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Routing.Api.Agents;
using Routing.Api.Auth;
using Routing.Api.Chat;
using Routing.Api.Conversations;
using Routing.Api.Knowledge;
using Routing.Api.OpenApi;
using Routing.Api.Problems;
using Routing.Api.Queues;
using Routing.Api.Reports;
using Scalar.AspNetCore;

namespace Routing.Api;

public static class RoutingApiExtensions
{
    /// <summary>JSON (camelCase, enums as names), problem details for every error, and the OpenAPI document.</summary>
    public static IServiceCollection AddRoutingApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true); // so a bad body reaches the problem-details handler
        services.AddProblemDetails();
        services.AddExceptionHandler<RoutingExceptionHandler>();
        services.AddOpenApi(OpenApiContract.Configure);
        services.AddOptions<ChatOptions>().BindConfiguration("Routing:Chat");
        return services;
    }

    /// <summary>Maps <c>/api/auth</c>, <c>/api/accounts</c>, <c>/api/keys</c>, <c>/api/queues</c>, <c>/api/agents</c>,
    /// <c>/api/conversations</c>, <c>/api/chat</c>, <c>/api/reports</c>, <c>/openapi/v1.json</c> and the interactive page at
    /// <c>/docs</c>.</summary>
    public static IEndpointRouteBuilder MapRoutingApi(this IEndpointRouteBuilder routes)
    {
        routes.MapAuthApi();
        routes.MapAccessAdminApi();
        routes.MapQueuesApi();
        routes.MapAgentsApi();
        routes.MapSavedRepliesApi();
        routes.MapConversationsApi();
        routes.MapChatApi();
        routes.MapReportsApi();
        routes.MapKnowledgeApi();
        routes.MapOpenApi().AllowAnonymous();
        routes.MapScalarApiReference("/docs").AllowAnonymous();
        return routes;
    }
}
