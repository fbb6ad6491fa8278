using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Routing.Contracts;

namespace Routing.Api.Realtime;

/// <summary>
/// Hub methods refuse bad input the way the REST API does: a <see cref="RoutingException"/> becomes a hub error
/// whose message is the JSON <c>{"code", "field", "detail"}</c> with the same stable codes. Nothing else leaks.
/// </summary>
public sealed partial class HubErrors(ILogger<HubErrors> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext,
        Func<HubInvocationContext, ValueTask<object?>> next
    )
    {
        try
        {
            return await next(invocationContext);
        }
        catch (RoutingException e)
        {
            throw Error(e.Code, e.Field, e.Message);
        }
        catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException)
        {
            LogUnavailable(logger, e, invocationContext.HubMethodName);
            throw Error("unavailable", null, "The routing cluster did not answer in time; try again.");
        }
    }

    public static HubException Error(string code, string? field, string detail) =>
        new(
            JsonSerializer.Serialize(
                new
                {
                    code,
                    field,
                    detail,
                }
            )
        );

    /// <summary>Validation inside a hub method: the same refusal a REST handler would give.</summary>
    public static void Require(bool ok, string field, string code, string detail)
    {
        if (!ok)
        {
            throw new RoutingException(RoutingErrorKind.Invalid, code, detail, field);
        }
    }

    [LoggerMessage(3002, LogLevel.Warning, "Hub method {Method} failed: the cluster did not answer")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method);
}
