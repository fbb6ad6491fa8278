using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Routing.Api.Auth;
using Routing.Api.Problems;
using Routing.Contracts;
using Routing.Contracts.Access;

namespace Routing.Api.Reports;

/// <summary>A report: what was asked, and a row per interval and key with any activity, in order.</summary>
public sealed record IntervalReportResponse(
    DateTimeOffset From,
    DateTimeOffset To,
    string Interval,
    string By,
    IReadOnlyList<IntervalRow> Rows
);

/// <summary>The keyword report: per interval of the period, its most frequent terms, best first.</summary>
public sealed record KeywordReportResponse(DateTimeOffset From, DateTimeOffset To, string Interval, IReadOnlyList<KeywordRow> Rows);

/// <summary>The disposition report: the completions of the period's conversations by queue and disposition.</summary>
public sealed record DispositionReportResponse(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<DispositionCount> Rows);

/// <summary>
/// <c>/api/reports/intervals</c>: the historical interval report from the ledger — as JSON, or as CSV when asked
/// with <c>Accept: text/csv</c>.
/// </summary>
public static partial class ReportsApi
{
    /// <summary>The longest period one report covers (at most 8,928 quarter hours).</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(93);

    /// <summary>What <c>by</c> may be.</summary>
    public static readonly IReadOnlyList<string> Dimensions = ["queue", "agent", "channel"];

    public const string CsvContentType = "text/csv";

    private static readonly string[] Columns =
    [
        "start",
        "end",
        "key",
        "offered",
        "connected",
        "abandoned",
        "shortAbandoned",
        "averageSpeedOfAnswerSeconds",
        "averageTalkSeconds",
        "averageWrapUpSeconds",
        "serviceLevelPercent",
        "transfers",
        "csatAverage",
        "csatCount",
        "selfServed",
        "deflected",
        "escalated",
        "averageSelfServiceSeconds",
    ];

    public static RouteGroupBuilder MapReportsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/reports").WithTags("Reports");
        group
            .MapGet("/intervals", Intervals)
            .Allow(StaffRoles.Admin, StaffRoles.Supervisor, StaffRoles.Integration)
            .WithName("ReportIntervals")
            .WithSummary(
                "Offered, connected, abandoned, ASA, AHT, service level, transfers and CSAT per interval and queue, agent or channel "
                    + "(JSON, or CSV with Accept: text/csv)"
            )
            .Produces<IntervalReportResponse>(StatusCodes.Status200OK, "application/json", CsvContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group
            .MapGet("/keywords", KeywordReport)
            .Allow(StaffRoles.Admin, StaffRoles.Supervisor, StaffRoles.Integration)
            .WithName("ReportKeywords")
            .WithSummary("The most frequent terms of customers' first messages per interval (JSON, or CSV with Accept: text/csv)")
            .Produces<KeywordReportResponse>(StatusCodes.Status200OK, "application/json", CsvContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group
            .MapGet("/dispositions", DispositionReport)
            .Allow(StaffRoles.Admin, StaffRoles.Supervisor, StaffRoles.Integration)
            .WithName("ReportDispositions")
            .WithSummary("The completions of the period's conversations by queue and disposition (JSON, or CSV with Accept: text/csv)")
            .Produces<DispositionReportResponse>(StatusCodes.Status200OK, "application/json", CsvContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return group;
    }

    public static async Task<IResult> Intervals(
        HttpContext http,
        IGrainFactory grains,
        string? from,
        string? to,
        string? interval,
        string? by
    )
    {
        interval ??= "15m";
        by ??= "queue";
        var v = new RequestValidator();
        var step = Step(interval);
        v.Require(
            step is not null,
            "interval",
            "invalid-interval",
            "'interval' is a whole number of quarter hours, in minutes, hours or days: 15m, 30m, 1h, 1d."
        );
        var dimension = by switch
        {
            "queue" => ReportBy.Queue,
            "agent" => ReportBy.Agent,
            "channel" => ReportBy.Channel,
            _ => (ReportBy?)null,
        };
        v.Require(dimension is not null, "by", "invalid-by", "'by' is queue, agent or channel.");
        var period = Period(v, from, to);
        if (v.ToProblem() is { } problem)
        {
            return problem;
        }
        var (start, end) = period!.Value;
        var rows = await grains
            .Grain<IDirectoryGrain>(Workspace.Of(http))
            .ReportIntervalsAsync(new IntervalQuery(start, end, step!.Value, dimension!.Value));
        var response = new IntervalReportResponse(start, end, interval, by, rows);
        return WantsCsv(http) ? Results.Text(Csv(response), CsvContentType + "; charset=utf-8") : Results.Ok(response);
    }

    /// <summary>The most terms one interval of a keyword report lists.</summary>
    public const int MaxTop = 100;

    /// <summary>
    /// The <c>top</c> (default 10) most frequent terms of customers' first messages in each interval of the period
    /// (docs/self-service.md, "Keywords"), by the knowledge base's analyzers; times and interval as for the interval report.
    /// </summary>
    /// <summary>The most counts one disposition report answers (queues × their codes).</summary>
    public const int MaxDispositionCounts = 10_000;

    /// <summary>
    /// How the conversations created in [from, to) were completed, counted per queue and disposition, most frequent first
    /// in each queue (docs/conversations.md, "Disposition codes"); times on quarter hours, at most 93 days.
    /// </summary>
    public static async Task<IResult> DispositionReport(HttpContext http, IGrainFactory grains, string? from, string? to)
    {
        var v = new RequestValidator();
        var period = Period(v, from, to);
        if (v.ToProblem() is { } problem)
        {
            return problem;
        }
        var (start, end) = period!.Value;
        var rows = await grains.Grain<IDirectoryGrain>(Workspace.Of(http)).DispositionsAsync(start, end, MaxDispositionCounts);
        if (!WantsCsv(http))
        {
            return Results.Ok(new DispositionReportResponse(start, end, rows));
        }
        var csv = new StringBuilder("queueId,disposition,conversations\r\n");
        foreach (var r in rows)
        {
            object?[] values = [r.QueueId, r.Disposition, r.Conversations];
            csv.AppendJoin(',', values.Select(Field)).Append("\r\n");
        }
        return Results.Text(csv.ToString(), CsvContentType + "; charset=utf-8");
    }

    public static async Task<IResult> KeywordReport(
        HttpContext http,
        IGrainFactory grains,
        string? from,
        string? to,
        string? interval,
        int? top
    )
    {
        interval ??= "1h";
        var v = new RequestValidator().Range(top, "top", 1, MaxTop);
        var step = Step(interval);
        v.Require(
            step is not null,
            "interval",
            "invalid-interval",
            "'interval' is a whole number of quarter hours, in minutes, hours or days: 15m, 30m, 1h, 1d."
        );
        var period = Period(v, from, to);
        if (v.ToProblem() is { } problem)
        {
            return problem;
        }
        var (start, end) = period!.Value;
        var rows = await grains.Grain<IDirectoryGrain>(Workspace.Of(http)).KeywordsAsync(start, end, step!.Value, top ?? 10);
        var response = new KeywordReportResponse(start, end, interval, rows);
        if (!WantsCsv(http))
        {
            return Results.Ok(response);
        }
        var csv = new StringBuilder("start,end,rank,term,conversations\r\n");
        foreach (var r in rows)
        {
            object?[] values =
            [
                r.Start.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                r.End.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                r.Rank,
                r.Term,
                r.Conversations,
            ];
            csv.AppendJoin(',', values.Select(Field)).Append("\r\n");
        }
        return Results.Text(csv.ToString(), CsvContentType + "; charset=utf-8");
    }

    /// <summary>RFC 4180 CSV: a header, then a row per interval; times ISO-8601 UTC, numbers in the invariant culture.</summary>
    public static string Csv(IntervalReportResponse report)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', Columns.Select(c => c == "key" ? report.By : c)).Append("\r\n");
        foreach (var r in report.Rows)
        {
            object?[] values =
            [
                r.Start.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                r.End.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                r.Key,
                r.Offered,
                r.Connected,
                r.Abandoned,
                r.ShortAbandoned,
                r.AverageSpeedOfAnswerSeconds,
                r.AverageTalkSeconds,
                r.AverageWrapUpSeconds,
                r.ServiceLevelPercent,
                r.Transfers,
                r.CsatAverage,
                r.CsatCount,
                r.SelfServed,
                r.Deflected,
                r.Escalated,
                r.AverageSelfServiceSeconds,
            ];
            csv.AppendJoin(',', values.Select(Field)).Append("\r\n");
        }
        return csv.ToString();
    }

    /// <summary>Whether the caller asked for CSV (<c>Accept: text/csv</c>) rather than JSON.</summary>
    internal static bool WantsCsv(HttpContext http) =>
        http.Request.Headers.Accept.Any(a => a?.Contains(CsvContentType, StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>One RFC 4180 field: quoted when it holds a comma, a quote or a line break; numbers in the invariant culture.</summary>
    internal static string Field(object? value) =>
        value switch
        {
            null => "",
            string s when s.IndexOfAny([',', '"', '\r', '\n']) >= 0 => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };

    /// <summary>
    /// A report's period from <paramref name="from"/> and <paramref name="to"/>: two ISO-8601 times (on quarter hours, unless
    /// <paramref name="onQuarter"/> is false), <c>to</c> after <c>from</c>, at most <see cref="MaxPeriod"/> apart. Null when
    /// the request is invalid: the validator holds why (the order and length are judged only when all else is valid).
    /// </summary>
    internal static (DateTimeOffset From, DateTimeOffset To)? Period(RequestValidator v, string? from, string? to, bool onQuarter = true)
    {
        var start = Time(v, from, "from", onQuarter);
        var end = Time(v, to, "to", onQuarter);
        if (v.IsValid && end <= start)
        {
            v.Require(false, "to", "invalid-period", "'to' must be after 'from'.");
        }
        else if (v.IsValid && end - start > MaxPeriod)
        {
            v.Require(false, "to", "period-too-long", $"A report covers at most {MaxPeriod.TotalDays} days.");
        }
        return v.IsValid ? (start!.Value, end!.Value) : null;
    }

    private static DateTimeOffset? Time(RequestValidator v, string? value, string field, bool onQuarter)
    {
        var time = default(DateTimeOffset);
        var ok =
            value is { Length: <= Limits.TimeLength }
            && DateTimeOffset.TryParse(
                value,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out time
            );
        v.Require(ok, field, "invalid-time", $"'{field}' is a time in ISO-8601, e.g. 2026-11-11T00:00:00Z.");
        // Reports add up the ledger's quarter-hour totals; every time zone's hours fall on a quarter hour.
        v.Require(
            !ok || !onQuarter || IntervalQuery.IsOnQuarter(time),
            field,
            "unaligned-time",
            $"'{field}' must fall on a quarter hour (:00, :15, :30 or :45)."
        );
        return ok ? time : null;
    }

    private static TimeSpan? Step(string value)
    {
        var m = StepPattern().Match(value);
        if (!m.Success || !int.TryParse(m.Groups[1].Value, CultureInfo.InvariantCulture, out var n) || n < 1 || n > 1440)
        {
            return null;
        }
        var step = m.Groups[2].Value switch
        {
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            _ => TimeSpan.FromDays(n),
        };
        return step <= TimeSpan.FromDays(31) && step.Ticks % IntervalQuery.Quarter.Ticks == 0 ? step : null;
    }

    [GeneratedRegex(Limits.IntervalRegex)]
    private static partial Regex StepPattern();
}
