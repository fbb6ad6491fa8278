using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Routing.Api.Problems;
using Routing.Contracts;
using Routing.Contracts.Access;

namespace Routing.Api.Auth;

public sealed record AccountRequest(string? Role, string? AgentId, string? Password);

public sealed record ApiKeyRequest(string? Name);

/// <summary>A new API key: <see cref="Key"/> is shown this once and never again.</summary>
public sealed record NewApiKeyResponse(string KeyId, string Name, DateTimeOffset CreatedAt, string Key);

/// <summary>
/// <c>/api/accounts</c> and <c>/api/keys</c>: an admin manages the workspace's built-in accounts (passwords are
/// set, never read back) and its API keys (created, listed, revoked).
/// </summary>
public static class AccessAdminApi
{
    public const int MinPasswordLength = Limits.MinPasswordLength;

    public static IEndpointRouteBuilder MapAccessAdminApi(this IEndpointRouteBuilder routes)
    {
        var accounts = routes.MapGroup("/api/accounts").WithTags("Accounts").Allow(StaffRoles.Admin);
        accounts.MapGet("/", ListAccounts).WithName("ListAccounts").WithSummary("The workspace's built-in accounts");
        accounts.MapGet("/{userName}", GetAccount).WithName("GetAccount").WithSummary("One account (never its password)");
        accounts
            .MapPut("/{userName}", SetAccount)
            .WithName("SetAccount")
            .WithSummary("Create or replace an account: role, agent, password");
        accounts
            .MapDelete("/{userName}", RemoveAccount)
            .WithName("RemoveAccount")
            .WithSummary("Remove an account; it cannot sign in any more");

        var keys = routes.MapGroup("/api/keys").WithTags("API keys").Allow(StaffRoles.Admin);
        keys.MapPost("/", CreateKey)
            .WithName("CreateApiKey")
            .WithSummary("A new API key for an integration, shown once")
            .ProducesProblem(StatusCodes.Status409Conflict); // api-key-exists, refused by the key itself
        keys.MapGet("/", ListKeys).WithName("ListApiKeys").WithSummary("The workspace's API keys, revoked ones included");
        keys.MapDelete("/{keyId}", RevokeKey).WithName("RevokeApiKey").WithSummary("Revoke a key: it stops working at once");
        return routes;
    }

    public static async Task<IReadOnlyList<AccountView>> ListAccounts(HttpContext http, IGrainFactory grains) =>
        await grains.Grain<IDirectoryGrain>(Caller.Of(http).Workspace).ListAccountsAsync();

    public static async Task<Results<Ok<AccountView>, NotFoundProblem>> GetAccount(
        string userName,
        HttpContext http,
        IGrainFactory grains
    ) =>
        RequestValidator.IsId(userName) && await Account(http, grains, userName).GetAsync() is { } account
            ? TypedResults.Ok(account)
            : AccountNotFound(userName);

    public static async Task<Results<Ok<AccountView>, BadRequestProblem>> SetAccount(
        string userName,
        AccountRequest request,
        HttpContext http,
        IGrainFactory grains
    )
    {
        var v = new RequestValidator()
            .Id(userName, "userName")
            .Require(StaffRoles.IsStaff(request.Role), "role", "unknown-role", "'role' must be admin, supervisor or agent.")
            .Require(
                (request.Role == StaffRoles.Agent) == (request.AgentId is not null),
                "agentId",
                "agent-id-for-role",
                "An agent's account names its agent ('agentId'); other roles do not."
            )
            .Require(
                request.Password is null || request.Password.Length is >= MinPasswordLength and <= Limits.MaxPasswordLength,
                "password",
                "weak-password",
                $"'password' must be {MinPasswordLength} to {Limits.MaxPasswordLength} characters."
            );
        if (request.AgentId is not null)
        {
            v.Id(request.AgentId, "agentId");
        }
        if (v.ToProblem() is { } invalid)
        {
            return invalid;
        }
        return TypedResults.Ok(
            await Account(http, grains, userName).SetAsync(new AccountSetup(request.Role!, request.AgentId, request.Password))
        );
    }

    public static async Task<Results<NoContent, NotFoundProblem>> RemoveAccount(string userName, HttpContext http, IGrainFactory grains)
    {
        if (!RequestValidator.IsId(userName) || await Account(http, grains, userName).GetAsync() is null)
        {
            return AccountNotFound(userName);
        }
        await Account(http, grains, userName).RemoveAsync();
        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<NewApiKeyResponse>, BadRequestProblem>> CreateKey(
        ApiKeyRequest request,
        HttpContext http,
        IGrainFactory grains,
        TokenIssuer issuer
    )
    {
        if (new RequestValidator().Line(request.Name, "name", Limits.ApiKeyNameLength).ToProblem() is { } invalid)
        {
            return invalid;
        }
        var workspace = Caller.Of(http).Workspace;
        var (keyId, key, hash) = ApiKeys.Create(workspace, issuer);
        var created = await grains.Grain<IApiKeyGrain>(GrainKeys.For(workspace, keyId)).CreateAsync(request.Name!, hash);
        return TypedResults.Created($"/api/keys/{keyId}", new NewApiKeyResponse(keyId, created.Name, created.CreatedAt, key));
    }

    public static async Task<IReadOnlyList<ApiKeyView>> ListKeys(HttpContext http, IGrainFactory grains) =>
        await grains.Grain<IDirectoryGrain>(Caller.Of(http).Workspace).ListApiKeysAsync();

    public static async Task<Results<Ok<ApiKeyView>, NotFoundProblem>> RevokeKey(string keyId, HttpContext http, IGrainFactory grains)
    {
        if (!RequestValidator.IsId(keyId))
        {
            return KeyNotFound(keyId);
        }
        var key = grains.Grain<IApiKeyGrain>(GrainKeys.For(Caller.Of(http).Workspace, keyId));
        if (await key.GetAsync() is null)
        {
            return KeyNotFound(keyId);
        }
        return TypedResults.Ok(await key.RevokeAsync());
    }

    private static IAccountGrain Account(HttpContext http, IGrainFactory grains, string userName) =>
        grains.Grain<IAccountGrain>(GrainKeys.For(Caller.Of(http).Workspace, userName));

    private static NotFoundProblem AccountNotFound(string userName) =>
        Problem.NotFound("account-not-found", $"No account '{userName}' in this workspace.", "userName");

    private static NotFoundProblem KeyNotFound(string keyId) =>
        Problem.NotFound("api-key-not-found", $"No API key '{keyId}' in this workspace.", "keyId");
}
