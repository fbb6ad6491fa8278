namespace Routing.Grains;

/// <summary>
/// Numbers arrivals in the order they were created, so two conversations created at the same instant are still
/// served first in, first out. The numbers are the creation time in ticks, bumped by one on a collision, so
/// they keep growing across restarts of the process.
/// </summary>
internal static class ArrivalSequence
{
    private static long _last;

    public static long Next(DateTimeOffset now)
    {
        while (true)
        {
            var last = Volatile.Read(ref _last);
            var next = Math.Max(now.UtcTicks, last + 1);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }
}
