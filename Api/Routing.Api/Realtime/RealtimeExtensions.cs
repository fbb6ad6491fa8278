using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Routing.Api.Auth;
using Routing.Contracts;
using Routing.Contracts.Access;
using Routing.Contracts.Realtime;

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
        services
            .AddSignalR(o =>
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

    /// <summary>
    /// The hubs: where each is, what it pushes to its clients and what they may call. The OpenAPI document describes
    /// them from here (<c>x-hubs</c>, see OpenApi/HubContract.cs), and the pages' hub names are generated from it.
    /// </summary>
    public static IReadOnlyList<HubDescription> Hubs { get; } =
    [
        new("agent", "/hubs/agent", typeof(IAgentClient), typeof(IAgentHub), [StaffRoles.Agent, StaffRoles.Admin]),
        new("customer", "/hubs/customer", typeof(ICustomerClient), typeof(ICustomerHub), [StaffRoles.Customer]),
        new("supervisor", "/hubs/supervisor", typeof(ISupervisorClient), typeof(ISupervisorHub), [StaffRoles.Supervisor, StaffRoles.Admin]),
    ];

    /// <summary>Maps <c>/hubs/agent</c>, <c>/hubs/customer</c> and <c>/hubs/supervisor</c>.</summary>
    public static IEndpointRouteBuilder MapRoutingHubs(this IEndpointRouteBuilder routes)
    {
        // A connection lasts no longer than its token: the client reconnects with a fresh one (a customer's widget renews
        // its own), and a credential that ran out stops being served.
        routes.MapHub<AgentHub>(Hubs[0].Path, o => o.CloseOnAuthenticationExpiration = true).Allow([.. Hubs[0].Roles]);
        routes.MapHub<CustomerHub>(Hubs[1].Path, o => o.CloseOnAuthenticationExpiration = true).Allow([.. Hubs[1].Roles]);
        routes.MapHub<SupervisorHub>(Hubs[2].Path, o => o.CloseOnAuthenticationExpiration = true).Allow([.. Hubs[2].Roles]);
        return routes;
    }
}

/// <summary>A hub: its name, path, the interface of what it pushes (<paramref name="Client"/>), of what it answers, and who may
/// connect.</summary>
public sealed record HubDescription(string Name, string Path, Type Client, Type Server, IReadOnlyList<string> Roles)
{
    /// <summary>The events the hub pushes, by name, with their arguments' names.</summary>
    public IEnumerable<System.Reflection.MethodInfo> Events => Client.GetMethods();

    /// <summary>The methods a client may call.</summary>
    public IEnumerable<System.Reflection.MethodInfo> Methods => Server.GetMethods();
}
