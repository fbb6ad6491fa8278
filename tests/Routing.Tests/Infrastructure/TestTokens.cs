using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Routing.Api.Auth;
using Routing.Contracts;
using Routing.Contracts.Access;

namespace Routing.Tests.Infrastructure;

/// <summary>
/// Tokens for the tests, signed with the key every test host is configured with (<see cref="Key"/>) — or, to be
/// refused, with another key, or expired.
/// </summary>
public static class TestTokens
{
    /// <summary>The signing key of every test host (base64), as <c>Routing:Auth:SigningKey</c>.</summary>
    public static readonly string Key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Rate limits off: the tests drive many agents and customers through few clients (<c>RateLimitTests</c> turns them
    /// on again).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> NoRateLimits = new Dictionary<string, string>
    {
        ["Routing:RateLimits:ClientPerSecond"] = "0",
        ["Routing:RateLimits:WorkspacePerSecond"] = "0",
        ["Routing:RateLimits:CustomerPerSecond"] = "0",
        ["Routing:RateLimits:AnonymousWritesPerSecond"] = "0",
    };

    /// <summary>What every test host is configured with: <see cref="Key"/> and <see cref="NoRateLimits"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string>> HostSettings(bool withSigningKey = true) =>
        withSigningKey ? NoRateLimits.Append(new("Routing:Auth:SigningKey", Key)) : NoRateLimits;

    private static readonly Lazy<string> AdminToken = new(() => Staff(StaffRoles.Admin));

    /// <summary>An admin of workspace <c>default</c>: what the tests' HTTP clients and realtime options carry unless a test says
    /// otherwise.</summary>
    public static string Admin => AdminToken.Value;

    public static Func<Task<string?>> AdminProvider { get; } = () => Task.FromResult<string?>(Admin);

    public static string Staff(string role, string? agentId = null, string workspace = GrainKeys.DefaultWorkspace) =>
        Issue(workspace, role, agentId, null, TimeSpan.FromHours(1));

    public static string Agent(string agentId, string workspace = GrainKeys.DefaultWorkspace) =>
        Staff(StaffRoles.Agent, agentId, workspace);

    public static string Customer(string conversationId, string workspace = GrainKeys.DefaultWorkspace) =>
        Issue(workspace, StaffRoles.Customer, null, conversationId, TimeSpan.FromMinutes(30));

    /// <summary>A token that ran out an hour ago (beyond any clock skew).</summary>
    public static string Expired(string role = StaffRoles.Admin, string? agentId = null) =>
        Issue(GrainKeys.DefaultWorkspace, role, agentId, null, TimeSpan.FromHours(-1));

    /// <summary>A token signed with a key the server does not know.</summary>
    public static string BadSignature(string role = StaffRoles.Admin, string? agentId = null) =>
        Issue(
            GrainKeys.DefaultWorkspace,
            role,
            agentId,
            null,
            TimeSpan.FromHours(1),
            System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)
        );

    public static string Issue(
        string workspace,
        string role,
        string? agentId,
        string? conversationId,
        TimeSpan lifetime,
        byte[]? key = null
    )
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            [RoutingClaims.Workspace] = workspace,
            [RoutingClaims.Role] = role,
            [RoutingClaims.Subject] = agentId ?? conversationId ?? role,
        };
        if (agentId is not null)
        {
            claims[RoutingClaims.Agent] = agentId;
        }
        if (conversationId is not null)
        {
            claims[RoutingClaims.Conversation] = conversationId;
        }
        return new JsonWebTokenHandler().CreateToken(
            new SecurityTokenDescriptor
            {
                Issuer = TokenIssuer.Issuer,
                Audience = TokenIssuer.Audience,
                IssuedAt = lifetime < TimeSpan.Zero ? now + lifetime - TimeSpan.FromHours(1) : now,
                NotBefore = lifetime < TimeSpan.Zero ? now + lifetime - TimeSpan.FromHours(1) : now,
                Expires = now + lifetime,
                Claims = claims,
                SigningCredentials = new SigningCredentials(
                    new SymmetricSecurityKey(key ?? Convert.FromBase64String(Key)),
                    SecurityAlgorithms.HmacSha256
                ),
            }
        );
    }

    /// <summary>An HTTP client's default credential.</summary>
    public static HttpClient WithToken(this HttpClient client, string? token)
    {
        client.DefaultRequestHeaders.Authorization = token is null
            ? null
            : new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
