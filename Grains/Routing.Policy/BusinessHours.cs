namespace Routing.Policy;

/// <summary>
/// A queue's opening hours (docs/routing.md, "Business hours"): the spans of each weekday it is open, in its own time
/// zone, and the dates it is closed all day. Pure: it answers whether the queue is open at an instant, when it next opens,
/// and how much of a stretch of time it was open — what a wait that spans a night is measured in, so that closed time is
/// neither promised to a customer as a wait nor charged to the service level.
/// </summary>
/// <remarks>
/// Times are the zone's wall-clock times. A span that starts in the hour a daylight-saving change skips starts when the
/// clock resumes; one that starts in the hour a change repeats starts the first time round. A span ending at midnight is
/// written with <see cref="TimeOnly.MinValue"/> as its end; no span runs past midnight (write the night as two).
/// </remarks>
public sealed class BusinessHours
{
    /// <summary>How far ahead <see cref="NextOpening"/> looks: a year of holidays and more.</summary>
    private const int HorizonDays = 400;

    private readonly TimeZoneInfo _zone;
    private readonly IReadOnlyDictionary<DayOfWeek, IReadOnlyList<OpeningSpan>> _week;
    private readonly HashSet<DateOnly> _holidays;

    public BusinessHours(
        TimeZoneInfo zone,
        IReadOnlyDictionary<DayOfWeek, IReadOnlyList<OpeningSpan>> week,
        IEnumerable<DateOnly>? holidays = null
    )
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(week);
        foreach (var (day, spans) in week)
        {
            var ordered = spans.OrderBy(s => s.Start).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                if (ordered[i].Start < ordered[i - 1].EndOfDay)
                {
                    throw new ArgumentException($"The opening spans of {day} overlap.", nameof(week));
                }
            }
        }
        _zone = zone;
        _week = week;
        _holidays = [.. holidays ?? []];
    }

    /// <summary>Open at every instant: a queue without hours.</summary>
    public static BusinessHours AlwaysOpen { get; } =
        new(TimeZoneInfo.Utc, Enum.GetValues<DayOfWeek>().ToDictionary(d => d, _ => (IReadOnlyList<OpeningSpan>)[OpeningSpan.AllDay]));

    public bool IsOpen(DateTimeOffset at) => OpenSpans(at, at.AddTicks(1)).Any();

    /// <summary><paramref name="at"/> itself when open then; otherwise when it next opens; null when it never opens again within a
    /// year and more.</summary>
    public DateTimeOffset? NextOpening(DateTimeOffset at)
    {
        foreach (var (start, _) in OpenSpans(at, at.AddDays(HorizonDays)))
        {
            return start;
        }
        return null;
    }

    /// <summary>How much of [<paramref name="from"/>, <paramref name="to"/>) falls in the opening hours; zero for an empty
    /// stretch.</summary>
    public TimeSpan OpenTimeBetween(DateTimeOffset from, DateTimeOffset to) =>
        OpenSpans(from, to).Aggregate(TimeSpan.Zero, (sum, span) => sum + (span.End - span.Start));

    /// <summary>The open stretches that meet [<paramref name="from"/>, <paramref name="to"/>), cut to it, in order.</summary>
    private IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> OpenSpans(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            yield break;
        }
        // A day's spans are the zone's wall-clock times of that date; the days around the stretch's ends are looked at too,
        // since an offset may put the start of the stretch in the zone's previous date.
        var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, _zone).DateTime).AddDays(-1);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to, _zone).DateTime).AddDays(1);
        for (var date = first; date <= last; date = date.AddDays(1))
        {
            if (_holidays.Contains(date) || !_week.TryGetValue(date.DayOfWeek, out var spans))
            {
                continue;
            }
            foreach (var span in spans.OrderBy(s => s.Start))
            {
                var start = Instant(date, span.Start);
                var end = span.End == TimeOnly.MinValue ? Instant(date.AddDays(1), TimeOnly.MinValue) : Instant(date, span.End);
                var cutStart = start > from ? start : from;
                var cutEnd = end < to ? end : to;
                if (cutStart < cutEnd)
                {
                    yield return (cutStart, cutEnd);
                }
            }
        }
    }

    /// <summary>The instant the zone's clocks show <paramref name="time"/> on <paramref name="date"/>, as the remarks settle gaps and
    /// repeats.</summary>
    private DateTimeOffset Instant(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        while (_zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1); // in the hour the clocks skip: from when they resume
        }
        var offset = _zone.IsAmbiguousTime(local) ? _zone.GetAmbiguousTimeOffsets(local).Max() : _zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}

/// <summary>One stretch of a weekday a queue is open, from <see cref="Start"/> to <see cref="End"/> (midnight: <see
/// cref="TimeOnly.MinValue"/>).</summary>
public readonly record struct OpeningSpan
{
    public OpeningSpan(TimeOnly start, TimeOnly end)
    {
        if (end != TimeOnly.MinValue && end <= start)
        {
            throw new ArgumentException($"An opening span ends after it starts, the same day: {start}–{end}.", nameof(end));
        }
        Start = start;
        End = end;
    }

    public static OpeningSpan AllDay { get; } = new(TimeOnly.MinValue, TimeOnly.MinValue);

    public TimeOnly Start { get; }

    /// <summary>When it closes; <see cref="TimeOnly.MinValue"/> for midnight at the day's end.</summary>
    public TimeOnly End { get; }

    /// <summary>Its end as a time of the day it starts on, midnight as the day's last tick.</summary>
    internal TimeOnly EndOfDay => End == TimeOnly.MinValue ? TimeOnly.MaxValue : End;
}
