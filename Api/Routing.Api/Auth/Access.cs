using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Routing.Api.Problems;
using Routing.Contracts.Access;

namespace Routing.Api.Auth;

/// <summary>The roles an endpoint lets in; the OpenAPI document shows them on each operation (<c>x-roles</c>).</summary>
public sealed record AllowedRoles(IReadOnlyList<string> Roles);

/// <summary>
/// Authorization by role, endpoint by endpoint. The credential must carry a valid workspace and one of the roles;
/// what a role may do to a particular agent or conversation (its own only, for agents and customers) the endpoint
/// checks with <see cref="Caller"/>. Anything without <see cref="Allow{TBuilder}"/> or an explicit
/// <c>AllowAnonymous</c> falls to the fallback policy: a valid credential of any role.
/// </summary>
public static class Access
{
    /// <summary>Every role a workspace's staff can have.</summary>
    public static readonly string[] Staff = [StaffRoles.Admin, StaffRoles.Supervisor, StaffRoles.Agent];

    /// <summary>Admins and supervisors.</summary>
    public static readonly string[] Supervisors = [StaffRoles.Admin, StaffRoles.Supervisor];

    public static TBuilder Allow<TBuilder>(this TBuilder builder, params string[] roles)
        where TBuilder : IEndpointConventionBuilder
    {
        var policy = new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .RequireAssertion(context => Caller.From(context.User) is { } caller && roles.Contains(caller.Role))
            .Build();
        return builder.RequireAuthorization(policy).WithMetadata(new AllowedRoles(roles));
    }

    /// <summary>403 <c>not-your-agent</c>: an agent acting as another agent.</summary>
    public static ForbiddenProblem NotYourAgent(string field = "agentId") =>
        Problem.Forbidden("not-your-agent", "An agent acts only as itself.", field);

    /// <summary>
    /// The agent a request acts as: an agent's own (a body naming another is refused), or the agent an admin or a
    /// supervisor names in the body. Null, with the refusal, when it may not.
    /// </summary>
    public static (string? AgentId, ApiProblem? Refusal) ActingAgent(Caller caller, string? named)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Role == StaffRoles.Agent)
        {
            return named is null || !caller.IsOtherAgent(named) ? (caller.AgentId, null) : (null, NotYourAgent());
        }
        if (caller.Supervises)
        {
            return named is null
                ? (null, Problem.BadRequest("invalid-id", "Name the agent you act for in 'agentId'.", "agentId"))
                : (named, null);
        }
        return (null, Problem.Forbidden("forbidden", "Only agents, supervisors and admins act as an agent."));
    }
}
