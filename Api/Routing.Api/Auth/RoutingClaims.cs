using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Routing.Api.Problems;
using Routing.Contracts.Access;

namespace Routing.Api.Auth;

/// <summary>The claims a credential carries — the same names in our own tokens and an identity provider's.</summary>
public static class RoutingClaims
{
    public const string Workspace = "workspace";
    public const string Role = "role";
    public const string Agent = "agent_id";
    public const string Conversation = "conversation";
    public const string Subject = "sub";

    /// <summary>In a built-in account's token: the account's user name and its stamp at sign-in
    /// (<c>IAccountGrain.IsCurrentAsync</c>).</summary>
    public const string Account = "account";
    public const string AccountStamp = "account_stamp";

    /// <summary>The authentication type of identities from the OpenID Connect authority: staff only.</summary>
    public const string AuthorityIdentity = "authority";
}

/// <summary>
/// Who is calling, as the credential says: the workspace (never taken from a request's body or path), the role,
/// the agent for an agent, the conversation for a customer, and a name that tells callers apart (rate limits).
/// </summary>
public sealed record Caller(string Workspace, string Role, string? AgentId, string? ConversationId, string Client)
{
    /// <summary>The caller of an authenticated request, or null when the credential lacks a valid workspace or role.</summary>
    public static Caller? From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        var workspace = user.FindFirst(RoutingClaims.Workspace)?.Value;
        var role = user.FindFirst(RoutingClaims.Role)?.Value;
        var agent = user.FindFirst(RoutingClaims.Agent)?.Value;
        var conversation = user.FindFirst(RoutingClaims.Conversation)?.Value;
        if (user.Identity.AuthenticationType == RoutingClaims.AuthorityIdentity && !StaffRoles.IsStaff(role))
        {
            return null; // customers and integrations get their credentials from this server only
        }
        var valid =
            RequestValidator.IsId(workspace)
            && role switch
            {
                StaffRoles.Admin or StaffRoles.Supervisor or StaffRoles.Integration => true,
                StaffRoles.Agent => RequestValidator.IsId(agent),
                StaffRoles.Customer => RequestValidator.IsId(conversation),
                _ => false,
            };
        if (!valid)
        {
            return null;
        }
        var client = user.FindFirst(RoutingClaims.Subject)?.Value ?? agent ?? conversation ?? role!;
        return new Caller(
            workspace!,
            role!,
            role == StaffRoles.Agent ? agent : null,
            role == StaffRoles.Customer ? conversation : null,
            client
        );
    }

    /// <summary>The caller of a request that passed authorization (every endpoint but the anonymous ones).</summary>
    public static Caller Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return From(http.User)
            ?? throw new InvalidOperationException(
                $"{http.Request.Path} was reached without a credential: it needs an authorization policy."
            );
    }

    public bool Supervises => Role is StaffRoles.Admin or StaffRoles.Supervisor;

    /// <summary>An agent's credential naming another agent: an agent acts only as itself.</summary>
    public bool IsOtherAgent(string? agentId) => Role == StaffRoles.Agent && agentId != AgentId;

    /// <summary>A customer's token is for one conversation: any other is not there for it. Other roles reach any of their
    /// workspace's.</summary>
    public bool Reaches(string conversationId) => Role != StaffRoles.Customer || ConversationId == conversationId;
}
