using CsCheck;

namespace Routing.Policy.Tests;

/// <summary>
/// A queue's opening hours (docs/routing.md, "Business hours"): open or not at an instant, the next opening, and the open
/// time of a stretch — on weekdays, over a weekend and a holiday, across daylight-saving changes — and properties that
/// hold for any hours: open time adds up over a split stretch, never exceeds the stretch, and the next opening is open
/// with nothing open before it.
/// </summary>
public sealed class BusinessHoursTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static OpeningSpan Span(int from, int to) => new(new TimeOnly(from, 0), to == 24 ? TimeOnly.MinValue : new TimeOnly(to, 0));

    private static Dictionary<DayOfWeek, IReadOnlyList<OpeningSpan>> Weekdays(params OpeningSpan[] spans) =>
        new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }.ToDictionary(
            d => d,
            _ => (IReadOnlyList<OpeningSpan>)spans
        );

    /// <summary>Shanghai, UTC+8 all year: 2026-11-13 is a Friday.</summary>
    private static DateTimeOffset Cst(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, TimeSpan.FromHours(8));

    [Fact]
    public void OfficeHoursInShanghaiAreOpenOnWeekdaysAndOpenAgainOnMondayAfterAFridayEvening()
    {
        var hours = new BusinessHours(Shanghai, Weekdays(Span(9, 12), Span(13, 18)));

        Assert.True(hours.IsOpen(Cst(13, 9)));
        Assert.False(hours.IsOpen(Cst(13, 12, 30))); // lunch
        Assert.False(hours.IsOpen(Cst(13, 18))); // a span's end is closed
        Assert.Equal(Cst(13, 13), hours.NextOpening(Cst(13, 12, 30)));
        Assert.Equal(Cst(16, 9), hours.NextOpening(Cst(13, 18))); // Friday evening: Monday morning
        Assert.Equal(Cst(13, 10), hours.NextOpening(Cst(13, 10))); // open: now
        // Friday 17:00 to Monday 10:00: one hour on Friday, one on Monday.
        Assert.Equal(TimeSpan.FromHours(2), hours.OpenTimeBetween(Cst(13, 17), Cst(16, 10)));
    }

    [Fact]
    public void AHolidayIsClosedAllDay()
    {
        var hours = new BusinessHours(Shanghai, Weekdays(Span(9, 18)), [new DateOnly(2026, 11, 16)]);

        Assert.False(hours.IsOpen(Cst(16, 10)));
        Assert.Equal(Cst(17, 9), hours.NextOpening(Cst(13, 19)));
        Assert.Equal(TimeSpan.Zero, hours.OpenTimeBetween(Cst(13, 18), Cst(17, 9)));
    }

    [Fact]
    public void DaylightSavingChangesMoveTheOpeningInstantsNotTheWallClock()
    {
        var nights = new BusinessHours(
            NewYork,
            Enum.GetValues<DayOfWeek>().ToDictionary(d => d, _ => (IReadOnlyList<OpeningSpan>)[Span(1, 4)])
        );
        // 2026-03-08, 02:00 becomes 03:00: open 01:00–04:00 EST/EDT is two hours of real time.
        var spring = new DateTimeOffset(2026, 3, 8, 0, 0, 0, TimeSpan.FromHours(-5));
        Assert.Equal(TimeSpan.FromHours(2), nights.OpenTimeBetween(spring, spring.AddHours(12)));
        // 2026-11-01, 02:00 becomes 01:00 again: 01:00 (EDT) to 04:00 (EST) is four hours.
        var fall = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(-4));
        Assert.Equal(TimeSpan.FromHours(4), nights.OpenTimeBetween(fall, fall.AddHours(12)));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.FromHours(-4)), nights.NextOpening(fall));

        // A span starting in the skipped hour starts when the clocks resume.
        var skipped = new BusinessHours(
            NewYork,
            new Dictionary<DayOfWeek, IReadOnlyList<OpeningSpan>> { [DayOfWeek.Sunday] = [new(new TimeOnly(2, 30), new TimeOnly(5, 0))] }
        );
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 3, 0, 0, TimeSpan.FromHours(-4)), skipped.NextOpening(spring));
    }

    [Fact]
    public void AlwaysOpenIsOpenAllTheTimeAndNoHoursNeverOpen()
    {
        var at = Cst(14, 3);
        Assert.True(BusinessHours.AlwaysOpen.IsOpen(at));
        Assert.Equal(TimeSpan.FromDays(9), BusinessHours.AlwaysOpen.OpenTimeBetween(at, at.AddDays(9)));
        var never = new BusinessHours(Shanghai, new Dictionary<DayOfWeek, IReadOnlyList<OpeningSpan>>());
        Assert.Null(never.NextOpening(at));
        Assert.Throws<ArgumentException>(() => new OpeningSpan(new TimeOnly(18, 0), new TimeOnly(9, 0)));
        Assert.Throws<ArgumentException>(() => new BusinessHours(Shanghai, Weekdays(Span(9, 13), Span(12, 18))));
    }

    private static readonly Gen<BusinessHours> Hours = Gen.Select(
        Gen.OneOfConst(Shanghai, NewYork, TimeZoneInfo.Utc),
        Gen.Int[0, 23].Array[0, 7],
        Gen.Int[0, 60].Array[0, 3],
        (zone, starts, holidayOffsets) =>
        {
            var week = new Dictionary<DayOfWeek, IReadOnlyList<OpeningSpan>>();
            for (var i = 0; i < starts.Length; i++)
            {
                var start = starts[i];
                week[(DayOfWeek)i] = [Span(start, Math.Min(24, start + 1 + (i * 5 % 9)))];
            }
            return new BusinessHours(zone, week, holidayOffsets.Select(o => new DateOnly(2026, 3, 1).AddDays(o)));
        }
    );

    private static readonly Gen<DateTimeOffset> Instant = Gen.Long[0, 90L * 24 * 60]
        .Select(m => new DateTimeOffset(2026, 2, 20, 0, 0, 0, TimeSpan.Zero).AddMinutes(m));

    [Fact]
    public void OpenTimeAddsUpOverASplitStretchAndNeverExceedsIt()
    {
        Gen.Select(Hours, Instant, Instant, Instant)
            .Sample(
                (hours, x, y, z) =>
                {
                    DateTimeOffset[] t = [x, y, z];
                    Array.Sort(t);
                    var whole = hours.OpenTimeBetween(t[0], t[2]);
                    Assert.Equal(whole, hours.OpenTimeBetween(t[0], t[1]) + hours.OpenTimeBetween(t[1], t[2]));
                    Assert.InRange(whole, TimeSpan.Zero, t[2] - t[0]);
                },
                iter: 500
            );
    }

    [Fact]
    public void TheNextOpeningIsOpenAndNothingBeforeItIs()
    {
        Gen.Select(Hours, Instant)
            .Sample(
                (hours, at) =>
                {
                    if (hours.NextOpening(at) is not { } next)
                    {
                        Assert.Equal(TimeSpan.Zero, hours.OpenTimeBetween(at, at.AddDays(30)));
                        return;
                    }
                    Assert.True(next >= at);
                    Assert.True(hours.IsOpen(next), $"not open at its next opening {next:O}");
                    Assert.Equal(TimeSpan.Zero, hours.OpenTimeBetween(at, next));
                },
                iter: 500
            );
    }
}
