using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Routing.Api.Problems;
using Routing.Contracts;
using Routing.Contracts.Access;

namespace Routing.Api.Auth;

public static partial class AuthExtensions
{
    private const string Credential = "Credential";
    private const string OwnTokens = "Routing";
    private const string AuthorityTokens = "Authority";

    /// <summary>
    /// Tokens (our own issuer, and an OpenID Connect authority when configured), API keys, per-endpoint authorization
    /// with a fallback that needs a valid credential, and rate limits. Outside Development, refuses to start without a signing key or an
    /// authority.
    /// </summary>
    public static IServiceCollection AddRoutingAuth(
        this IServiceCollection services,
        IConfiguration configuration,
        IHostEnvironment environment
    )
    {
        ArgumentNullException.ThrowIfNull(environment);
        var options = configuration.GetSection("Routing:Auth").Get<AuthOptions>() ?? new AuthOptions();
        if (!environment.IsDevelopment() && !options.HasOwnKey && !options.HasAuthority)
        {
            throw new InvalidOperationException(
                $"Authentication is not configured, and the environment is '{environment.EnvironmentName}', not Development. Set "
                    + "Routing:Auth:SigningKey (base64, at least 32 bytes: Routing__Auth__SigningKey=$(openssl rand -base64 32)) or "
                    + "Routing:Auth:SigningKeyFile for the server's own sign-in, and/or Routing:Auth:Authority with Routing:Auth:Audience "
                    + "for an OpenID Connect provider; or run with ASPNETCORE_ENVIRONMENT=Development on a machine nobody else reaches."
            );
        }
        if (options.DevSignIn == true && !environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"Routing:Auth:DevSignIn is on, but the environment is '{environment.EnvironmentName}', not Development: the sign-in "
                    + "without a password is for a developer's own machine only. Remove the setting."
            );
        }
        if (options.HasAuthority && string.IsNullOrWhiteSpace(options.Audience))
        {
            throw new InvalidOperationException(
                "Routing:Auth:Authority needs Routing:Auth:Audience, the audience its tokens are issued for."
            );
        }
        services.AddOptions<AuthOptions>().BindConfiguration("Routing:Auth").ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, SigningKeyValidation>();
        services.AddOptions<RateLimitOptions>().BindConfiguration("Routing:RateLimits");
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton(new DevelopmentSignIn(environment.IsDevelopment() && options.DevSignIn != false));
        services.AddHostedService<FirstAdmin>();

        var authentication = services
            .AddAuthentication(Credential)
            .AddPolicyScheme(
                Credential,
                "Bearer token or API key",
                o =>
                    o.ForwardDefaultSelector = context =>
                        context.Request.Headers.ContainsKey(ApiKeys.Header) ? ApiKeys.Scheme
                        : options.HasAuthority && IssuerOf(context) is not (null or TokenIssuer.Issuer) ? AuthorityTokens
                        : OwnTokens
            )
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeys.Scheme, null)
            .AddJwtBearer(
                OwnTokens,
                o =>
                {
                    o.MapInboundClaims = false;
                    o.Events = HubTokens();
                    o.Events.OnTokenValidated = AccountStillCurrentAsync;
                }
            );
        services
            .AddOptions<JwtBearerOptions>(OwnTokens)
            .Configure<TokenIssuer>(
                (o, issuer) =>
                    o.TokenValidationParameters = new TokenValidationParameters
                    {
                        ValidIssuer = TokenIssuer.Issuer,
                        ValidAudience = TokenIssuer.Audience,
                        IssuerSigningKey = issuer.Key,
                        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                        ClockSkew = TimeSpan.FromSeconds(30),
                        NameClaimType = RoutingClaims.Subject,
                        RoleClaimType = RoutingClaims.Role,
                    }
            );
        if (options.HasAuthority)
        {
            authentication.AddJwtBearer(
                AuthorityTokens,
                o =>
                {
                    o.Authority = options.Authority;
                    o.Audience = options.Audience;
                    o.RequireHttpsMetadata = options.RequireHttpsMetadata;
                    o.MapInboundClaims = false;
                    o.TokenValidationParameters.NameClaimType = RoutingClaims.Subject;
                    o.TokenValidationParameters.RoleClaimType = RoutingClaims.Role;
                    o.TokenValidationParameters.AuthenticationType = RoutingClaims.AuthorityIdentity;
                    o.Events = HubTokens();
                }
            );
        }
        // Whatever has no policy of its own (a path that matches nothing, an endpoint someone forgot) needs a valid
        // credential; the authorization tests check that every operation of the API names its roles.
        services.AddAuthorization(o =>
            o.FallbackPolicy = new AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .RequireAssertion(context => Caller.From(context.User) is not null)
                .Build()
        );
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResults>();
        services.AddSingleton<RateLimits>();
        services.AddSingleton<HubLimit>();
        services
            .AddOptions<RateLimiterOptions>()
            .Configure<RateLimits>(
                (o, limits) =>
                {
                    o.GlobalLimiter = limits.Limiter;
                    o.OnRejected = RateLimits.RejectAsync;
                }
            );
        services.AddRateLimiter(_ => { });
        return services;
    }

    /// <summary>Authentication, then the rate limits (by the credential's workspace and client), then authorization.</summary>
    public static WebApplication UseRoutingAuth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        if (app.Services.GetRequiredService<DevelopmentSignIn>().Enabled)
        {
            LogDevelopmentMode(app.Logger);
        }
        return app;
    }

    /// <summary>Browsers cannot set headers on WebSockets: hub requests may carry the token as <c>access_token</c>.</summary>
    private static JwtBearerEvents HubTokens() =>
        new()
        {
            OnMessageReceived = context =>
            {
                if (context.Request.Path.StartsWithSegments("/hubs") && context.Request.Query["access_token"] is { Count: > 0 } token)
                {
                    context.Token = token.ToString();
                }
                return Task.CompletedTask;
            },
        };

    /// <summary>
    /// A built-in account's token speaks for the account as it was at sign-in: once the account is removed or set
    /// again (password, role, agent), its tokens are refused at once, as a revoked API key is.
    /// </summary>
    private static async Task AccountStillCurrentAsync(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        if (principal.FindFirst(RoutingClaims.AccountStamp)?.Value is not { } stamp)
        {
            return; // the dev sign-in's and customers' tokens name no account
        }
        var workspace = principal.FindFirst(RoutingClaims.Workspace)?.Value;
        var account = principal.FindFirst(RoutingClaims.Account)?.Value;
        var grains = context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>();
        if (
            !RequestValidator.IsId(workspace)
            || !RequestValidator.IsId(account)
            || !await grains.Grain<IAccountGrain>(GrainKeys.For(workspace!, account!)).IsCurrentAsync(stamp)
        )
        {
            context.Fail("The account was removed or changed since this token was issued.");
        }
    }

    private static string? IssuerOf(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token =
            header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim()
            : context.Request.Path.StartsWithSegments("/hubs") ? context.Request.Query["access_token"].ToString()
            : "";
        try
        {
            return token.Length > 0 ? new JsonWebToken(token).Issuer : null;
        }
        catch (ArgumentException)
        {
            return null; // not a JWT at all: our scheme refuses it
        }
    }

    [LoggerMessage(
        3101,
        LogLevel.Warning,
        "DEVELOPMENT MODE: /api/auth/dev-token signs anyone in as any agent, supervisor or admin of workspace 'default' "
            + "without a password. "
            + "Never let anyone else reach this server; outside Development, configure Routing:Auth."
    )]
    private static partial void LogDevelopmentMode(ILogger logger);

    /// <summary>401 and 403 as problem details with a stable code, like every other refusal.</summary>
    private sealed class ProblemAuthorizationResults : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public async Task HandleAsync(
            RequestDelegate next,
            HttpContext context,
            AuthorizationPolicy policy,
            PolicyAuthorizationResult authorizeResult
        )
        {
            if (authorizeResult.Challenged)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await Problem
                    .Of(
                        StatusCodes.Status401Unauthorized,
                        "unauthorized",
                        "Sign in: send a bearer token (Authorization: Bearer …) or an API key (X-Api-Key); the one sent is missing, "
                            + "expired or not valid."
                    )
                    .ExecuteAsync(context);
                return;
            }
            if (authorizeResult.Forbidden)
            {
                await Problem
                    .Of(StatusCodes.Status403Forbidden, "forbidden", "Your credential's role may not do this.")
                    .ExecuteAsync(context);
                return;
            }
            await _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}

/// <summary>Whether <c>/api/auth/dev-token</c> exists: only in the Development environment, unless <c>Routing:Auth:DevSignIn</c> turns it
/// off.</summary>
public sealed record DevelopmentSignIn(bool Enabled);
