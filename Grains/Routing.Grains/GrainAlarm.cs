using Microsoft.Extensions.Logging;

namespace Routing.Grains;

/// <summary>
/// A one-shot alarm on the <see cref="RoutingClock"/> that, when due, calls the grain back through its own
/// reference — an ordinary grain call, so it takes its turn like any other message.
/// </summary>
/// <remarks>
/// We do not use <c>RegisterGrainTimer</c> here because grain timers run on the silo's
/// <see cref="TimeProvider"/>: faking that clock in tests would also stop Orleans' membership and response
/// timeouts. An alarm that outlives its activation simply reactivates the grain, which checks the token it
/// carries and ignores it if stale.
/// </remarks>
internal sealed class GrainAlarm(RoutingClock clock, ILogger logger) : IDisposable
{
    private static long _lastToken = DateTime.UtcNow.Ticks;
    private ITimer? _timer;

    /// <summary>The token of the alarm now set, or 0. Tokens are unique in the process, across activations.</summary>
    public long Token { get; private set; }

    /// <summary>Sets the alarm (replacing any set before) to call <paramref name="fire"/> with its token at <paramref
    /// name="at"/>.</summary>
    public long Set(DateTimeOffset at, Func<long, Task> fire)
    {
        Cancel();
        var token = Interlocked.Increment(ref _lastToken);
        Token = token;
        var due = at - clock.UtcNow;
        if (due <= TimeSpan.Zero)
        {
            _ = FireAsync(fire, token); // already due: a call back through the grain's reference, so it still takes its turn
            return token;
        }
        _timer = clock.Time.CreateTimer(_ => _ = FireAsync(fire, token), null, due, Timeout.InfiniteTimeSpan);
        return token;
    }

    public void Cancel()
    {
        _timer?.Dispose();
        _timer = null;
        Token = 0;
    }

    public void Dispose() => Cancel();

    private async Task FireAsync(Func<long, Task> fire, long token)
    {
        try
        {
            await fire(token);
        }
        catch (SiloUnavailableException)
        {
            // The alarm calls its own grain: unavailable when this silo shuts down (or the grain's silo died) — either
            // way the grain's next activation rebuilds its state from the ledger and sets its alarms afresh.
            Log.AlarmDroppedAtShutdown(logger, token);
        }
        catch (Exception e)
        {
            Log.AlarmFailed(logger, e, token);
        }
    }
}
