using System.Data.Common;
using Microsoft.Extensions.Logging;
using Routing.Contracts;

namespace Routing.Grains.Hosting;

/// <summary>
/// A grain call that fails because the ledger's database failed (disk, connection, timeout: the engine's own
/// <see cref="DbException"/>) is refused as <c>ledger-unavailable</c>, 503 with a retry hint (docs/reliability.md,
/// R5): grains make a change current only once it is written, so nothing of the call is on record and the caller may
/// try again. The engine's error is logged here; it does not cross to the caller, on this silo or another.
/// </summary>
internal sealed class LedgerFailureFilter(ILogger<LedgerFailureFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (DbException e)
        {
            Log.LedgerFailed(logger, e, context.ImplementationMethod.Name);
            throw RoutingException.LedgerUnavailable();
        }
    }
}
