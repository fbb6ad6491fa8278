using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Routing.Contracts.Access;

namespace Routing.Api.Auth;

/// <summary>
/// The server's own issuer: HMAC-SHA256 JSON Web Tokens for built-in accounts, the dev sign-in and customers. The
/// key is <c>Routing:Auth:SigningKey</c>, else the file <c>Routing:Auth:SigningKeyFile</c>, else (one silo, or
/// Development) a key generated once into <c>signing.key</c> in the data directory.
/// </summary>
public sealed class TokenIssuer
{
    public const string Issuer = "routing";
    public const string Audience = "routing";

    private readonly JsonWebTokenHandler _handler = new();
    private readonly SigningCredentials _credentials;
    private readonly AuthOptions _options;

    public TokenIssuer(IOptions<AuthOptions> options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        Key = new SymmetricSecurityKey(LoadKey(_options, configuration)) { KeyId = "routing" };
        _credentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256);
    }

    public SymmetricSecurityKey Key { get; }

    public TimeSpan CustomerTokenLifetime => _options.CustomerTokenLifetime;

    /// <summary>
    /// A staff token: workspace, role and, for an agent, the agent id; a built-in account's also names the account
    /// and its stamp, so the token ends when the account is removed or set again.
    /// </summary>
    public string ForStaff(string workspace, string role, string? agentId, string subject, string? accountStamp = null) =>
        Issue(
            new Dictionary<string, object>
            {
                [RoutingClaims.Workspace] = workspace,
                [RoutingClaims.Role] = role,
                [RoutingClaims.Subject] = subject,
            }
                .With(RoutingClaims.Agent, agentId)
                .With(RoutingClaims.Account, accountStamp is null ? null : subject)
                .With(RoutingClaims.AccountStamp, accountStamp),
            _options.TokenLifetime
        );

    /// <summary>A customer token: one conversation, short-lived.</summary>
    public string ForCustomer(string workspace, string conversationId) =>
        Issue(
            new Dictionary<string, object>
            {
                [RoutingClaims.Workspace] = workspace,
                [RoutingClaims.Role] = StaffRoles.Customer,
                [RoutingClaims.Conversation] = conversationId,
                [RoutingClaims.Subject] = "customer:" + conversationId,
            },
            _options.CustomerTokenLifetime
        );

    private string Issue(Dictionary<string, object> claims, TimeSpan lifetime)
    {
        var now = DateTime.UtcNow; // tokens live in real time, whatever clock routing runs on
        return _handler.CreateToken(
            new SecurityTokenDescriptor
            {
                Issuer = Issuer,
                Audience = Audience,
                IssuedAt = now,
                NotBefore = now,
                Expires = now + lifetime,
                Claims = claims,
                SigningCredentials = _credentials,
            }
        );
    }

    internal static byte[] LoadKey(AuthOptions options, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            return Checked(Base64(options.SigningKey, "Routing:Auth:SigningKey"), "Routing:Auth:SigningKey");
        }
        if (!string.IsNullOrWhiteSpace(options.SigningKeyFile))
        {
            var bytes = File.ReadAllBytes(options.SigningKeyFile);
            var text = Encoding.ASCII.GetString(bytes).Trim();
            return Checked(TryBase64(text) ?? bytes, "Routing:Auth:SigningKeyFile");
        }
        var directory = Path.GetFullPath(configuration["Routing:DataDirectory"] is { Length: > 0 } d ? d : "data");
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "signing.key");
        if (!File.Exists(file))
        {
            try
            {
                // Readable by this user only: whoever reads it can sign an admin's token.
                var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }
                using var created = new FileStream(file, create);
                created.Write(RandomNumberGenerator.GetBytes(32));
            }
            catch (IOException) when (File.Exists(file))
            {
                // another silo on the same directory wrote it first
            }
        }
        return Checked(File.ReadAllBytes(file), file); // a file another silo is still writing is refused, not half-used
    }

    private static byte[] Checked(byte[] key, string setting) =>
        key.Length >= 32
            ? key
            : throw new InvalidOperationException(
                $"{setting} must hold at least 32 bytes (base64-encoded), e.g. $(openssl rand -base64 32)."
            );

    private static byte[] Base64(string value, string setting) =>
        TryBase64(value) ?? throw new InvalidOperationException($"{setting} is not base64; make one with: openssl rand -base64 32");

    private static byte[]? TryBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value.Trim(), buffer, out var written) ? buffer[..written] : null;
    }
}

/// <summary>
/// The signing key is read at start, not at the first request: a key that is too short or not base64, or a key file
/// that cannot be read, stops the server with the setting's name — rather than a server answering 500 to everything,
/// its health probe included.
/// </summary>
internal sealed class SigningKeyValidation(IConfiguration configuration) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        try
        {
            TokenIssuer.LoadKey(options, configuration);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var setting = string.IsNullOrWhiteSpace(options.SigningKeyFile)
                ? "Routing:DataDirectory (its signing.key)"
                : "Routing:Auth:SigningKeyFile";
            return ValidateOptionsResult.Fail($"{setting} cannot be read: {e.Message}");
        }
    }
}

internal static class ClaimDictionary
{
    public static Dictionary<string, object> With(this Dictionary<string, object> claims, string name, string? value)
    {
        if (value is not null)
        {
            claims[name] = value;
        }
        return claims;
    }
}
