using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Routing.Api.Problems;
using Routing.Api.Realtime;
using Routing.Contracts.Access;

namespace Routing.Api.Auth;

/// <summary>
/// <c>Routing:RateLimits</c>: token buckets per client (a user, an agent, an API key; an address for requests without a
/// credential), per customer, per workspace, and per address for sign-ins and chats started (whatever credential they
/// carry). 0 turns a limit off.
/// </summary>
public sealed class RateLimitOptions
{
    public int ClientPerSecond { get; set; } = 100;

    public int ClientBurst { get; set; } = 200;

    public int WorkspacePerSecond { get; set; } = 2000;

    public int WorkspaceBurst { get; set; } = 4000;

    /// <summary>A customer's token: a chat widget needs a few requests a second at most.</summary>
    public int CustomerPerSecond { get; set; } = 10;

    /// <summary>
    /// Sign-ins and chats started from one address, with a credential or without (each sign-in costs a password hash and
    /// is a guess at a password; each chat a conversation).
    /// </summary>
    public int AnonymousWritesPerSecond { get; set; } = 2;

    public int AnonymousWritesBurst { get; set; } = 10;
}

/// <summary>
/// ASP.NET Core's rate limiter, chained: a sign-in or a chat start takes a token from its address's bucket first,
/// whatever credential it carries (a customer token is free from the widget, so a credential cannot be what lifts the
/// limit on guessing passwords); then every request takes one from its client's bucket (so a client over its own
/// limit costs its workspace nothing), then from its workspace's. Customers — whose tokens anyone can get by starting
/// a chat — and requests without a credential have buckets of their own and never draw on a workspace's, so they
/// cannot starve its staff. Hub method calls go through the same buckets (<see cref="HubLimit"/>). A refusal is 429
/// with <c>Retry-After</c> (the limiter's default would be 503, which says the server is down). Probes and metrics
/// scrapes are never limited.
/// </summary>
public sealed class RateLimits(IOptionsMonitor<RateLimitOptions> options)
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    public PartitionedRateLimiter<HttpContext> Limiter { get; } = CreateLimiter(options);

    public static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var retryAfter = RetryAfter(rejected.Lease);
        await Problem
            .Of(
                StatusCodes.Status429TooManyRequests,
                "rate-limited",
                string.Create(CultureInfo.InvariantCulture, $"Too many requests; try again in {Math.Ceiling(retryAfter.TotalSeconds)} s."),
                null,
                retryAfter
            )
            .ExecuteAsync(rejected.HttpContext);
    }

    public static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : TimeSpan.FromSeconds(1);

    private static PartitionedRateLimiter<HttpContext> CreateLimiter(IOptionsMonitor<RateLimitOptions> options) =>
        PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(context => AddressPartition(context, options.CurrentValue)),
            PartitionedRateLimiter.Create<HttpContext, string>(context => ClientPartition(context, options.CurrentValue)),
            PartitionedRateLimiter.Create<HttpContext, string>(context => WorkspacePartition(context, options.CurrentValue))
        );

    private static RateLimitPartition<string> AddressPartition(HttpContext context, RateLimitOptions o) =>
        IsAnonymousWrite(context.Request)
            ? Bucket("anonymous-writes:" + Address(context), o.AnonymousWritesPerSecond, o.AnonymousWritesBurst)
            : RateLimitPartition.GetNoLimiter("");

    private static RateLimitPartition<string> ClientPartition(HttpContext context, RateLimitOptions o)
    {
        if (Unlimited(context))
        {
            return RateLimitPartition.GetNoLimiter("");
        }
        if (Caller.From(context.User) is not { } caller)
        {
            // Without a credential, a sign-in or a chat start has been counted by its address's bucket already.
            return IsAnonymousWrite(context.Request)
                ? RateLimitPartition.GetNoLimiter("")
                : Bucket("address:" + Address(context), o.ClientPerSecond, o.ClientBurst);
        }
        return caller.Role == StaffRoles.Customer
            ? Bucket($"customer:{caller.Workspace}/{caller.ConversationId}", o.CustomerPerSecond, o.CustomerPerSecond * 2)
            : Bucket($"client:{caller.Workspace}/{caller.Role}/{caller.Client}", o.ClientPerSecond, o.ClientBurst);
    }

    private static RateLimitPartition<string> WorkspacePartition(HttpContext context, RateLimitOptions o) =>
        Unlimited(context) || Caller.From(context.User) is not { Role: not StaffRoles.Customer } caller
            ? RateLimitPartition.GetNoLimiter("")
            : Bucket("workspace:" + caller.Workspace, o.WorkspacePerSecond, o.WorkspaceBurst);

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "-";

    /// <summary>A sign-in (<c>/api/auth/…</c>) or a chat start (<c>/api/chat/…</c>): what anyone may send without a credential.</summary>
    private static bool IsAnonymousWrite(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.Path.StartsWithSegments("/api/auth") || request.Path.StartsWithSegments("/api/chat"));

    /// <summary>
    /// Probes, scrapes, and the transport requests of an open hub connection (its polls and sends, which carry an
    /// <c>id</c>): its negotiation was counted, and each method call it carries is counted by <see cref="HubLimit"/>.
    /// Which endpoint a hub request reached is routing's answer, not a comparison of paths: routing ignores case and a
    /// trailing slash, so <c>/hubs/x/NEGOTIATE/</c> is a negotiation too, and is counted.
    /// </summary>
    private static bool Unlimited(HttpContext context)
    {
        if (context.Items.ContainsKey(HubLimit.CallKey))
        {
            return false; // a hub method call, counted through its connection's request
        }
        var path = context.Request.Path;
        return path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics") || IsHubTransport(context);
    }

    private static bool IsHubTransport(HttpContext context) =>
        context.GetEndpoint()?.Metadata is { } metadata
        && metadata.GetMetadata<HubMetadata>() is not null
        && metadata.GetMetadata<NegotiateMetadata>() is null
        && context.Request.Query.ContainsKey("id");

    private static RateLimitPartition<string> Bucket(string key, int perSecond, int burst) =>
        perSecond <= 0
            ? RateLimitPartition.GetNoLimiter(key)
            : RateLimitPartition.GetTokenBucketLimiter(
                key,
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(burst, 1),
                    TokensPerPeriod = Math.Max(perSecond / 10, 1),
                    ReplenishmentPeriod = perSecond >= 10 ? Period : TimeSpan.FromSeconds(1.0 / perSecond),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }
            );
}

/// <summary>
/// Hub method calls are not HTTP requests, so the middleware never sees them: each one takes a token from the same
/// buckets as its connection's requests, through the connection's own request (its caller and address).
/// </summary>
public sealed class HubLimit(RateLimits limits) : IHubFilter
{
    /// <summary>Marks the connection's request as the carrier of hub calls (a connection's calls run one at a time).</summary>
    public const string CallKey = "routing.hub-call";

    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext,
        Func<HubInvocationContext, ValueTask<object?>> next
    )
    {
        ArgumentNullException.ThrowIfNull(invocationContext);
        ArgumentNullException.ThrowIfNull(next);
        if (invocationContext.Context.GetHttpContext() is { } http)
        {
            if (http.User.Identity?.IsAuthenticated != true && invocationContext.Context.User is { } user)
            {
                http.User = user; // a long-polling connection's copy of its first request may not carry the caller
            }
            http.Items[CallKey] = true;
            using var lease = limits.Limiter.AttemptAcquire(http);
            if (!lease.IsAcquired)
            {
                throw HubErrors.Error(
                    "rate-limited",
                    null,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"Too many calls; try again in {Math.Ceiling(RateLimits.RetryAfter(lease).TotalSeconds)} s."
                    )
                );
            }
        }
        return await next(invocationContext);
    }
}
