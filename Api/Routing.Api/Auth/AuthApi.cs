using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Routing.Api.Conversations;
using Routing.Api.Problems;
using Routing.Contracts;
using Routing.Contracts.Access;

namespace Routing.Api.Auth;

public sealed record SignInRequest(string? Workspace, string? UserName, string? Password);

public sealed record DevSignInRequest(string? Role, string? AgentId);

public sealed record TokenResponse(string Token, DateTimeOffset ExpiresAt, string Workspace, string Role, string? AgentId);

public sealed record CallerResponse(string Workspace, string Role, string? AgentId, string? ConversationId);

public sealed record AuthModeResponse(bool DevSignIn);

/// <summary>
/// <c>/api/auth</c>: sign in with a built-in account (<c>POST /api/auth/token</c>), the Development sign-in, who a
/// credential speaks for (<c>GET /api/auth/me</c>), and a customer token's renewal.
/// </summary>
public static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Sign-in");
        group
            .MapGet("/", Mode)
            .AllowAnonymous()
            .WithName("GetSignInMode")
            .WithSummary("How to sign in here: whether the Development sign-in is on");
        group
            .MapPost("/token", SignIn)
            .AllowAnonymous()
            .WithName("SignIn")
            .WithSummary("Sign in with a built-in account; answers a bearer token");
        if (routes.ServiceProvider.GetRequiredService<DevelopmentSignIn>().Enabled)
        {
            group
                .MapPost("/dev-token", DevSignIn)
                .AllowAnonymous()
                .WithName("DevSignIn")
                .WithSummary("Development only: a token for any agent, supervisor or admin of workspace 'default', without a password");
        }
        group
            .MapGet("/me", Me)
            .Allow(Access.Staff.Append(StaffRoles.Integration).Append(StaffRoles.Customer).ToArray())
            .WithName("GetCaller")
            .WithSummary("Who the credential speaks for");
        routes
            .MapPost("/api/conversations/{conversationId}/customer-token", RenewCustomerToken)
            .Allow(StaffRoles.Customer, StaffRoles.Admin)
            .WithTags("Conversations")
            .WithName("RenewCustomerToken")
            .WithSummary("A fresh customer token for a conversation that has not ended");
        return group;
    }

    public static AuthModeResponse Mode(DevelopmentSignIn development) => new(development.Enabled);

    public static async Task<Results<Ok<TokenResponse>, BadRequestProblem, UnauthorizedProblem>> SignIn(
        SignInRequest request,
        IGrainFactory grains,
        TokenIssuer issuer,
        IOptions<AuthOptions> options
    )
    {
        var workspace = request.Workspace ?? GrainKeys.DefaultWorkspace;
        if (
            new RequestValidator()
                .Id(workspace, "workspace")
                .Id(request.UserName, "userName")
                .Text(request.Password, "password", Limits.MaxPasswordLength)
                .ToProblem() is
            { } invalid
        )
        {
            return invalid;
        }
        var result = await grains.Grain<IAccountGrain>(GrainKeys.For(workspace, request.UserName!)).SignInAsync(request.Password!);
        return result.Outcome switch
        {
            SignInOutcome.SignedIn => TypedResults.Ok(
                Token(issuer, options.Value, workspace, result.Role!, result.AgentId, request.UserName!, result.Stamp ?? "")
            ),
            SignInOutcome.Locked => Problem.Unauthorized(
                "account-locked",
                "Too many failed sign-ins: the account is locked for a while.",
                "userName",
                result.LockedUntil - DateTimeOffset.UtcNow
            ),
            _ => Problem.Unauthorized("sign-in-failed", "The user name or the password is wrong.", "password"),
        };
    }

    public static Results<Ok<TokenResponse>, BadRequestProblem> DevSignIn(
        DevSignInRequest request,
        TokenIssuer issuer,
        IOptions<AuthOptions> options
    )
    {
        var v = new RequestValidator().Require(
            StaffRoles.IsStaff(request.Role),
            "role",
            "unknown-role",
            "'role' must be admin, supervisor or agent."
        );
        if (request.Role == StaffRoles.Agent)
        {
            v.Id(request.AgentId, "agentId");
        }
        if (v.ToProblem() is { } invalid)
        {
            return invalid;
        }
        var agentId = request.Role == StaffRoles.Agent ? request.AgentId : null;
        return TypedResults.Ok(Token(issuer, options.Value, GrainKeys.DefaultWorkspace, request.Role!, agentId, agentId ?? request.Role!));
    }

    public static CallerResponse Me(HttpContext http)
    {
        var caller = Caller.Of(http);
        return new CallerResponse(caller.Workspace, caller.Role, caller.AgentId, caller.ConversationId);
    }

    public static async Task<Results<Ok<TokenResponse>, NotFoundProblem, ConflictProblem>> RenewCustomerToken(
        string conversationId,
        HttpContext http,
        IGrainFactory grains,
        TokenIssuer issuer
    )
    {
        var caller = Caller.Of(http);
        if (!RequestValidator.IsId(conversationId) || !caller.Reaches(conversationId))
        {
            return ConversationsApi.ConversationNotFound(conversationId);
        }
        var conversation = await grains.Conversation(caller.Workspace, conversationId).GetAsync();
        if (conversation.State.IsFinal())
        {
            return Problem.Conflict("conversation-ended", "The conversation has ended; its token is not renewed.");
        }
        return TypedResults.Ok(
            new TokenResponse(
                issuer.ForCustomer(caller.Workspace, conversationId),
                DateTimeOffset.UtcNow + issuer.CustomerTokenLifetime,
                caller.Workspace,
                StaffRoles.Customer,
                null
            )
        );
    }

    private static TokenResponse Token(
        TokenIssuer issuer,
        AuthOptions options,
        string workspace,
        string role,
        string? agentId,
        string subject,
        string? accountStamp = null
    ) =>
        new(
            issuer.ForStaff(workspace, role, agentId, subject, accountStamp),
            DateTimeOffset.UtcNow + options.TokenLifetime,
            workspace,
            role,
            agentId
        );
}
