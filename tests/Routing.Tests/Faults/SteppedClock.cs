using Microsoft.Extensions.Time.Testing;

namespace Routing.Tests.Faults;

/// <summary>
/// A machine's clock as the server meets it: the wall clock (<see cref="GetUtcNow"/>), which an operator or NTP may
/// step either way, over elapsed time (timers and timestamps), which only runs forward — as with
/// <see cref="TimeProvider.System"/>, whose timers run on the monotonic clock. A <see cref="FakeTimeProvider"/> keeps
/// the elapsed time (it cannot go back); the step is an offset on top of it.
/// </summary>
internal sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _elapsed = new(start);
    private long _stepTicks;

    public override DateTimeOffset GetUtcNow() => _elapsed.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _stepTicks));

    public override long GetTimestamp() => _elapsed.GetTimestamp();

    public override long TimestampFrequency => _elapsed.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _elapsed.CreateTimer(callback, state, dueTime, period);

    /// <summary>Time passes: both clocks move on, and timers that fall due fire.</summary>
    public void Advance(TimeSpan by) => _elapsed.Advance(by);

    /// <summary>The wall clock is set forward or back; no time passes, so no timer fires.</summary>
    public void Step(TimeSpan by) => Interlocked.Add(ref _stepTicks, by.Ticks);
}
