using System.Globalization;
using Routing.Contracts;
using Routing.Policy;

namespace Routing.Grains.Queues;

/// <summary>
/// A queue's business hours as written in its definition (<see cref="QueueHours"/>: a time zone, weekly spans as
/// <c>HH:mm</c> text, holidays as dates) made into the <see cref="BusinessHours"/> that answers for them, or refused with the
/// field at fault: an unknown time zone, a malformed or backwards time, an unknown day, spans that overlap, a malformed
/// date (docs/routing.md, "Business hours"). Pure.
/// </summary>
public static class QueueHoursPlan
{
    /// <summary>
    /// The channel a closed queue still takes: a message left for the next opening (the widget's leave-a-message). A
    /// chat, a call or a social thread wants a person now, and is refused with <c>queue-closed</c>.
    /// </summary>
    public const string LeaveAMessageChannel = "email";

    /// <summary>The hours of <paramref name="hours"/>; null (always open) without any.</summary>
    public static BusinessHours? Build(QueueHours? hours)
    {
        if (hours is null)
        {
            return null;
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(hours.TimeZone ?? "", out var zone))
        {
            throw RoutingException.Invalid(
                "hours.timeZone",
                $"'{hours.TimeZone}' is no known time zone (use an IANA name such as Asia/Shanghai).",
                "unknown-time-zone"
            );
        }
        if (hours.Weekly.Count > QueueHours.MaxSpans || hours.Holidays.Count > QueueHours.MaxHolidays)
        {
            throw RoutingException.Invalid(
                "hours",
                $"At most {QueueHours.MaxSpans} weekly spans and {QueueHours.MaxHolidays} holidays.",
                "invalid-hours"
            );
        }
        var week = new Dictionary<DayOfWeek, List<OpeningSpan>>();
        for (var i = 0; i < hours.Weekly.Count; i++)
        {
            var field = $"hours.weekly[{i}]";
            var span = hours.Weekly[i];
            var open = Time(span.Open, $"{field}.open", allowMidnight: false);
            var close = Time(span.Close, $"{field}.close", allowMidnight: true);
            if (close != TimeOnly.MinValue && close <= open)
            {
                throw RoutingException.Invalid(
                    $"{field}.close",
                    $"A span closes after it opens, the same day ({span.Open}–{span.Close}); write a night as two.",
                    "invalid-hours"
                );
            }
            if (span.Days.Count == 0)
            {
                throw RoutingException.Invalid($"{field}.days", "A span names the days it applies to.", "invalid-hours");
            }
            foreach (var name in span.Days)
            {
                var index = QueueHours.Days.ToList().IndexOf(name);
                if (index < 0)
                {
                    throw RoutingException.Invalid(
                        $"{field}.days",
                        $"'{name}' is not a day: use {string.Join(", ", QueueHours.Days)}.",
                        "invalid-hours"
                    );
                }
                var day = (DayOfWeek)((index + 1) % 7);
                (week.TryGetValue(day, out var spans) ? spans : week[day] = []).Add(new OpeningSpan(open, close));
            }
        }
        var holidays = new List<DateOnly>();
        for (var i = 0; i < hours.Holidays.Count; i++)
        {
            if (!DateOnly.TryParseExact(hours.Holidays[i], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw RoutingException.Invalid(
                    $"hours.holidays[{i}]",
                    $"'{hours.Holidays[i]}' is not a date as yyyy-MM-dd.",
                    "invalid-hours"
                );
            }
            holidays.Add(date);
        }
        try
        {
            return new BusinessHours(zone, week.ToDictionary(d => d.Key, d => (IReadOnlyList<OpeningSpan>)d.Value), holidays);
        }
        catch (ArgumentException e)
        {
            throw RoutingException.Invalid("hours.weekly", e.Message, "invalid-hours");
        }
    }

    private static TimeOnly Time(string? text, string field, bool allowMidnight)
    {
        if (allowMidnight && text == "24:00")
        {
            return TimeOnly.MinValue;
        }
        return TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw RoutingException.Invalid(
                field,
                $"'{text}' is not a time as HH:mm{(allowMidnight ? " (or 24:00)" : "")}.",
                "invalid-hours"
            );
    }
}
