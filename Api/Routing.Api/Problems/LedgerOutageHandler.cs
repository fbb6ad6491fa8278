using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Routing.Api.Problems;

/// <summary>
/// A request that failed because the ledger's database did — stopped, unreachable, a connection broken (the engine's
/// own <see cref="DbException"/>, as a grain's call returns it) — is answered 503 <c>ledger-unavailable</c> with a
/// retry hint instead of 500: a grain makes a change current only once it is written, so the caller may try again,
/// and a create retried with its <c>Idempotency-Key</c> reaches the same conversation (docs/reliability.md, "The fault
/// table", R4). Registered before <see cref="RoutingExceptionHandler"/>; the hubs refuse the same way (<c>HubErrors</c>).
/// </summary>
public sealed partial class LedgerOutageHandler(ILogger<LedgerOutageHandler> logger) : IExceptionHandler
{
    public const string Code = "ledger-unavailable";

    public const string Detail = "The ledger cannot be reached; nothing was changed. Try again shortly.";

    /// <summary>What a refused caller is told to wait.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not DbException)
        {
            return false;
        }
        // The message, not the stack: during an outage every request fails the same way, many times a second.
        LogRefused(logger, exception.Message, httpContext.Request.Method, httpContext.Request.Path);
        await Problem.Of(StatusCodes.Status503ServiceUnavailable, Code, Detail, null, RetryAfter).ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(2003, LogLevel.Warning, "Refused {Method} {Path}: the ledger failed ({Reason})")]
    private static partial void LogRefused(ILogger logger, string reason, string method, string path);
}
