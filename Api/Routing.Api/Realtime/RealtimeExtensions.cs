using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Routing.Api.Auth;
using Routing.Contracts;
using Routing.Contracts.Access;

namespace Routing.Api.Realtime;

public static class RealtimeExtensions
{
    /// <summary>
    /// The largest message a hub reads from a client; a larger one closes that client's connection (it reconnects
    /// and resynchronises). A chat message's 4,000 characters take at most 24 KB as JSON.
    /// </summary>
    public const long MaxHubMessageBytes = 64 * 1024;

    /// <summary>SignalR with the hub error filter and enum names in JSON, this silo's relay and supervisor feed, .</summary>
    public static IServiceCollection AddRoutingRealtime(this IServiceCollection services)
    {
        services.AddSignalR(o =>
            {
                o.AddFilter<HubErrors>();
                o.AddFilter<HubLimit>(); // inside HubErrors: a refusal reaches the caller as a hub error
                o.MaximumReceiveMessageSize = MaxHubMessageBytes;
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        // At Debug, SignalR writes every hub invocation to the log with its arguments: a customer's chat text, a
        // reason typed by an agent. None of that may reach a log, whatever level an operator sets.
        services.AddLogFloor("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher", LogLevel.Information);
        services.AddSingleton<HubErrors>();
        services.AddSingleton<RealtimeRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<RealtimeRelay>());
        services.AddSingleton<ISiloDeathListener>(sp => sp.GetRequiredService<RealtimeRelay>());
        services.AddSingleton<SupervisorFeed>();
        return services;
    }

    /// <summary>Maps <c>/hubs/agent</c>, <c>/hubs/customer</c> and <c>/hubs/supervisor</c>.</summary>
    public static IEndpointRouteBuilder MapRoutingHubs(this IEndpointRouteBuilder routes)
    {
        // A connection lasts no longer than its token: the client reconnects with a fresh one (a customer's widget renews
        // its own), and a credential that ran out stops being served.
        routes.MapHub<AgentHub>("/hubs/agent", o => o.CloseOnAuthenticationExpiration = true).Allow(StaffRoles.Agent, StaffRoles.Admin);
        routes.MapHub<CustomerHub>("/hubs/customer", o => o.CloseOnAuthenticationExpiration = true).Allow(StaffRoles.Customer);
        routes.MapHub<SupervisorHub>("/hubs/supervisor", o => o.CloseOnAuthenticationExpiration = true).Allow(StaffRoles.Supervisor, StaffRoles.Admin);
        return routes;
    }
}
