using Routing.Contracts;

namespace Routing.Api.Queues;

/// <summary>
/// The body of <c>PUT /api/queues/{queueId}</c>; every field but <c>name</c> has a default. <c>selfService</c> is the step
/// its chats take before the line (docs/self-service.md): <c>off</c> (the default), <c>suggest</c> or <c>bot-first</c>.
/// <c>dispositionCodes</c> lists the outcomes its agents choose from at completion (docs/conversations.md), or none.
/// </summary>
public sealed record QueueRequest(
    string? Name,
    ServiceLevelDto? ServiceLevel,
    string? Selection,
    double? AgingPerSecond,
    Dictionary<string, int>? WrapUpSeconds,
    int? OfferTimeoutSeconds,
    OverflowDto? Overflow,
    int? MaxLength,
    string? SelfService = null,
    List<DispositionCodeDto?>? DispositionCodes = null,
    HoursDto? Hours = null,
    FeedbackDto? Feedback = null
);

/// <summary>
/// Feedback routed back (docs/conversations.md, "Feedback routed back"): a rating of 1–2 of one of the queue's conversations
/// opens a follow-up in <c>queueId</c>, for the agents with <c>skills</c> (optional: a skill group).
/// </summary>
public sealed record FeedbackDto(string? QueueId, Dictionary<string, int>? Skills);

/// <summary>
/// A queue's business hours (docs/routing.md, "Business hours"): an IANA <c>timeZone</c>, the <c>weekly</c> spans it is open
/// and the <c>holidays</c> (<c>yyyy-MM-dd</c>) it is closed; without hours a queue is always open.
/// </summary>
public sealed record HoursDto(string? TimeZone, List<OpeningHoursDto?>? Weekly, List<string?>? Holidays)
{
    public static HoursDto? From(QueueHours? hours) =>
        hours is null
            ? null
            : new(
                hours.TimeZone,
                [.. hours.Weekly.Select(w => (OpeningHoursDto?)new OpeningHoursDto([.. w.Days], w.Open, w.Close))],
                [.. hours.Holidays]
            );
}

/// <summary>Open on <c>days</c> (<c>monday</c>…<c>sunday</c>) from <c>open</c> to <c>close</c> (<c>HH:mm</c>; <c>24:00</c> for
/// midnight).</summary>
public sealed record OpeningHoursDto(List<string?>? Days, string? Open, string? Close);

/// <summary>A disposition code: its stable <c>code</c> (an id) and the <c>name</c> the desk shows.</summary>
public sealed record DispositionCodeDto(string? Code, string? Name);

public sealed record ServiceLevelDto(int? TargetSeconds, double? Percent);

public sealed record OverflowDto(string? QueueId, int? AfterSeconds);

public sealed record QueueResponse(
    string Id,
    string Name,
    ServiceLevelDto ServiceLevel,
    string Selection,
    double AgingPerSecond,
    IReadOnlyDictionary<string, int> WrapUpSeconds,
    int OfferTimeoutSeconds,
    OverflowDto? Overflow,
    int? MaxLength,
    string SelfService,
    IReadOnlyList<DispositionCodeDto> DispositionCodes,
    DateTimeOffset UpdatedAt,
    HoursDto? Hours,
    FeedbackDto? Feedback
)
{
    public static QueueResponse From(QueueInfo info)
    {
        var d = info.Definition;
        return new QueueResponse(
            info.QueueId,
            d.Name,
            new ServiceLevelDto(d.ServiceLevel.TargetSeconds, d.ServiceLevel.Percent),
            d.Selection,
            d.AgingPerSecond,
            d.WrapUpSeconds,
            d.OfferTimeoutSeconds,
            d.Overflow is { } o ? new OverflowDto(o.QueueId, o.AfterSeconds) : null,
            d.MaxLength,
            d.SelfService,
            [.. (d.DispositionCodes ?? []).Select(c => new DispositionCodeDto(c.Code, c.Name))],
            info.UpdatedAt,
            HoursDto.From(d.Hours),
            d.Feedback is { } f ? new FeedbackDto(f.QueueId, new Dictionary<string, int>(f.Skills)) : null
        );
    }
}
