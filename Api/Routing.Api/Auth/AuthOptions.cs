namespace Routing.Api.Auth;

/// <summary>
/// <c>Routing:Auth</c>. The server signs its own tokens (built-in accounts, customers, the dev sign-in) with
/// <see cref="SigningKey"/> or the key in <see cref="SigningKeyFile"/>; <see cref="Authority"/> and
/// <see cref="Audience"/> add an OpenID Connect provider whose tokens are accepted too. Outside Development one of
/// them must be set, or the server refuses to start.
/// </summary>
public sealed class AuthOptions
{
    /// <summary>Base64, at least 32 bytes; the same on every silo of a cluster.</summary>
    public string? SigningKey { get; set; }

    /// <summary>A file holding the signing key (base64 text, or at least 32 raw bytes).</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>An OpenID Connect authority (its discovery document gives the signing keys), e.g.
    /// https://login.example.com/realms/cc.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience the authority's tokens must be for.</summary>
    public string? Audience { get; set; }

    /// <summary>Whether the authority's discovery document must come over HTTPS (turn off only for a provider on this machine).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>How long a staff token from <c>/api/auth/token</c> lasts (a shift).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(10);

    /// <summary>How long a customer token lasts; the widget renews it while the conversation lives.</summary>
    public TimeSpan CustomerTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Whether <c>/api/auth/dev-token</c> signs anyone in without a password. Unset: on in Development only. Off turns it
    /// off in Development too; on outside Development is refused at start.
    /// </summary>
    public bool? DevSignIn { get; set; }

    /// <summary>An account created at start when it does not exist yet: the first admin of a workspace.</summary>
    public FirstAdminOptions FirstAdmin { get; set; } = new();

    public bool HasOwnKey => !string.IsNullOrWhiteSpace(SigningKey) || !string.IsNullOrWhiteSpace(SigningKeyFile);

    public bool HasAuthority => !string.IsNullOrWhiteSpace(Authority);
}

/// <summary><c>Routing:Auth:FirstAdmin</c>: workspace, user name and password of the first admin.</summary>
public sealed class FirstAdminOptions
{
    public string? Workspace { get; set; }

    public string? UserName { get; set; }

    public string? Password { get; set; }
}
