using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Routing.Api.Problems;
using Routing.Contracts;
using Routing.Contracts.Access;

namespace Routing.Api.Auth;

/// <summary>
/// API keys for integrations, sent as <c>X-Api-Key: rk:{workspace}:{keyId}:{secret}</c>. The workspace and id say
/// which key grain to ask; only the secret's SHA-256 is ever stored. The id ends in a tag of the server's signing key
/// over the workspace and the id's random half, so a made-up key is refused without waking any grain.
/// </summary>
public static class ApiKeys
{
    public const string Header = "X-Api-Key";
    public const string Scheme = "ApiKey";
    private const string Prefix = "rk";

    /// <summary>A new key's id and whole text (shown once), and the hash to store.</summary>
    public static (string KeyId, string Key, byte[] Hash) Create(string workspace, TokenIssuer issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var random = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var keyId = random + Tag(issuer, workspace, random);
        var secret = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (keyId, $"{Prefix}:{workspace}:{keyId}:{secret}", Hash(secret));
    }

    public static bool TryParse(string? key, out string workspace, out string keyId, out string secret)
    {
        (workspace, keyId, secret) = ("", "", "");
        var parts = key?.Split(':');
        if (parts is not [Prefix, var w, var k, var s] || !RequestValidator.IsId(w) || !RequestValidator.IsId(k) || s.Length is 0 or > 100)
        {
            return false;
        }
        (workspace, keyId, secret) = (w, k, s);
        return true;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Whether the key id was made by this server (any silo sharing its signing key) for this workspace.</summary>
    public static bool IsIssued(TokenIssuer issuer, string workspace, string keyId) =>
        keyId.Length == 32
        && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(keyId[16..]),
            Encoding.ASCII.GetBytes(Tag(issuer, workspace, keyId[..16]))
        );

    private static string Tag(TokenIssuer issuer, string workspace, string random) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(issuer.Key.Key, Encoding.UTF8.GetBytes($"api-key:{workspace}:{random}"))[..8]);
}

/// <summary>Authenticates a request by its <c>X-Api-Key</c>, asking the key's grain every time (a revocation holds at once).</summary>
public sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains,
    TokenIssuer issuer
) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeys.Header, out var header))
        {
            return AuthenticateResult.NoResult();
        }
        if (
            !ApiKeys.TryParse(header.ToString(), out var workspace, out var keyId, out var secret)
            || !ApiKeys.IsIssued(issuer, workspace, keyId)
            || !await grains.Grain<IApiKeyGrain>(GrainKeys.For(workspace, keyId)).VerifyAsync(ApiKeys.Hash(secret))
        )
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }
        var identity = new ClaimsIdentity(
            [
                new Claim(RoutingClaims.Workspace, workspace),
                new Claim(RoutingClaims.Role, StaffRoles.Integration),
                new Claim(RoutingClaims.Subject, "key:" + keyId),
            ],
            ApiKeys.Scheme,
            RoutingClaims.Subject,
            RoutingClaims.Role
        );
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKeys.Scheme));
    }
}
