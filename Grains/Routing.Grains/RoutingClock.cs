namespace Routing.Grains;

/// <summary>
/// The clock routing decisions run on: offer timeouts, wrap-up, skill relaxation, overflow, aging and wait
/// accounting. It is kept apart from the silo's own <see cref="TimeProvider"/> so that tests can move routing
/// time forward with a fake clock while Orleans' membership and messaging keep real time.
/// </summary>
public sealed class RoutingClock(TimeProvider time)
{
    public static RoutingClock System { get; } = new(TimeProvider.System);

    public TimeProvider Time { get; } = time;

    public DateTimeOffset UtcNow => Time.GetUtcNow();
}
