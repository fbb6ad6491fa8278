using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Routing.Api.Problems;

namespace Routing.Api.Auth;

/// <summary>
/// <c>Routing:RateLimits</c>: token buckets per workspace and per client (a user, an agent, an API key, a customer's
/// conversation; an address for requests without a credential). 0 turns a limit off.
/// </summary>
public sealed class RateLimitOptions
{
    public int ClientPerSecond { get; set; } = 100;

    public int ClientBurst { get; set; } = 200;

    public int WorkspacePerSecond { get; set; } = 2000;

    public int WorkspaceBurst { get; set; } = 4000;
}

/// <summary>
/// ASP.NET Core's rate limiter, chained: a request takes a token from its workspace's bucket and from its client's.
/// A refusal is 429 with <c>Retry-After</c> (the limiter's default would be 503, which says the server is down).
/// Probes and metrics scrapes are never limited.
/// </summary>
public static class RateLimits
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    public static PartitionedRateLimiter<HttpContext> PerWorkspace() =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var options = Options(context);
            return Unlimited(context) || options.WorkspacePerSecond <= 0
                ? RateLimitPartition.GetNoLimiter("")
                : Bucket("workspace:" + (Caller.From(context.User)?.Workspace ?? "-"), options.WorkspacePerSecond, options.WorkspaceBurst);
        });

    public static PartitionedRateLimiter<HttpContext> PerClient() =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var options = Options(context);
            if (Unlimited(context) || options.ClientPerSecond <= 0)
            {
                return RateLimitPartition.GetNoLimiter("");
            }
            var client = Caller.From(context.User) is { } caller
                ? $"{caller.Workspace}/{caller.Role}/{caller.Client}"
                : "address:" + context.Connection.RemoteIpAddress;
            return Bucket(client, options.ClientPerSecond, options.ClientBurst);
        });

    public static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : TimeSpan.FromSeconds(1);
        await Problem.Of(StatusCodes.Status429TooManyRequests, "rate-limited",
            string.Create(CultureInfo.InvariantCulture, $"Too many requests; try again in {Math.Ceiling(retryAfter.TotalSeconds)} s."),
            null, retryAfter).ExecuteAsync(rejected.HttpContext);
    }

    private static RateLimitOptions Options(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;

    private static bool Unlimited(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments("/metrics");

    private static RateLimitPartition<string> Bucket(string key, int perSecond, int burst) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(burst, 1),
            TokensPerPeriod = Math.Max(perSecond / 10, 1),
            ReplenishmentPeriod = Period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
