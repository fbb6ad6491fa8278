using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Routing.Api.Auth;
using Routing.Api.Problems;
using Routing.Contracts;
using Routing.Contracts.Access;

namespace Routing.Api.Queues;

/// <summary><c>/api/queues</c>: define queues, read them and their live statistics.</summary>
public static class QueuesApi
{
    private static readonly string[] ReadQueues = [StaffRoles.Admin, StaffRoles.Supervisor, StaffRoles.Agent, StaffRoles.Integration];

    public static RouteGroupBuilder MapQueuesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/queues").WithTags("Queues");
        group
            .MapPut("/{queueId}", PutQueue)
            .WithName("PutQueue")
            .WithSummary("Create or replace a queue")
            .Allow(StaffRoles.Admin)
            .ProducesProblem(StatusCodes.Status400BadRequest); // an unknown selection method, refused by the queue itself
        group.MapGet("/", ListQueues).WithName("ListQueues").WithSummary("List the workspace's queues").Allow(ReadQueues);
        group.MapGet("/{queueId}", GetQueue).WithName("GetQueue").WithSummary("Read a queue's definition").Allow(ReadQueues);
        group
            .MapGet("/{queueId}/stats", GetQueueStats)
            .WithName("GetQueueStats")
            .WithSummary("The queue's live statistics")
            .Allow(StaffRoles.Admin, StaffRoles.Supervisor, StaffRoles.Integration);
        return group;
    }

    /// <summary>The selection methods a queue may name (the queue refuses any other).</summary>
    public static readonly IReadOnlyList<string> Selections = ["longest-idle", "most-skilled", "least-occupied", "round-robin"];

    public static async Task<Results<Ok<QueueResponse>, Created<QueueResponse>, BadRequestProblem, NotFoundProblem>> PutQueue(
        string queueId,
        QueueRequest request,
        HttpContext http,
        IGrainFactory grains,
        IOptions<RoutingOptions> options
    )
    {
        var channels = options.Value.Channels;
        var v = new RequestValidator().Id(queueId, "queueId").Name(request.Name);
        v.Range(request.ServiceLevel?.TargetSeconds, "serviceLevel.targetSeconds", Limits.ServiceLevelTargetSeconds)
            .Range(request.ServiceLevel?.Percent, "serviceLevel.percent", Limits.ServiceLevelPercent)
            .Range(request.AgingPerSecond, "agingPerSecond", Limits.AgingPerSecond)
            .Range(request.OfferTimeoutSeconds, "offerTimeoutSeconds", Limits.OfferTimeoutSeconds)
            .Range(request.MaxLength, "maxLength", Limits.QueueMaxLength)
            .Require(
                request.SelfService is null || SelfServiceModes.All.Contains(request.SelfService),
                "selfService",
                "unknown-self-service",
                $"'selfService' must be one of {string.Join(", ", SelfServiceModes.All)}."
            );
        foreach (var (channel, seconds) in request.WrapUpSeconds ?? [])
        {
            v.Require(channels.ContainsKey(channel), $"wrapUpSeconds.{channel}", "unknown-channel", $"Unknown channel '{channel}'.")
                .Range(seconds, $"wrapUpSeconds.{channel}", Limits.WrapUpSeconds);
        }
        var codes = request.DispositionCodes ?? [];
        v.Count(codes, "dispositionCodes", Limits.MaxDispositionCodes, "too-many-disposition-codes").Elements(codes, "dispositionCodes");
        for (var i = 0; i < codes.Count; i++)
        {
            if (codes[i] is not { } code)
            {
                continue;
            }
            v.Id(code.Code, $"dispositionCodes[{i}].code")
                .Name(code.Name, $"dispositionCodes[{i}].name")
                .Require(
                    codes.FindIndex(c => c?.Code == code.Code) == i,
                    $"dispositionCodes[{i}].code",
                    "duplicate-disposition-code",
                    $"Disposition code '{code.Code}' is listed twice."
                );
        }
        if (request.Hours is { } hours)
        {
            // The shape here; the queue itself checks the zone, the times and the spans (docs/routing.md, "Business hours").
            v.Line(hours.TimeZone, "hours.timeZone", QueueHours.TimeZoneLength)
                .Count(hours.Weekly, "hours.weekly", QueueHours.MaxSpans, "invalid-hours")
                .Elements(hours.Weekly, "hours.weekly")
                .Count(hours.Holidays, "hours.holidays", QueueHours.MaxHolidays, "invalid-hours")
                .Elements(hours.Holidays, "hours.holidays");
            for (var i = 0; i < (hours.Weekly?.Count ?? 0); i++)
            {
                if (hours.Weekly![i] is { } span)
                {
                    v.Require(span.Days is { Count: > 0 and <= 7 }, $"hours.weekly[{i}].days", "invalid-hours", "Name one to seven days.")
                        .Elements(span.Days, $"hours.weekly[{i}].days")
                        .Line(span.Open, $"hours.weekly[{i}].open", Limits.ClockTimeLength)
                        .Line(span.Close, $"hours.weekly[{i}].close", Limits.ClockTimeLength);
                }
            }
        }
        if (request.Feedback is { } feedback)
        {
            v.Id(feedback.QueueId, "feedback.queueId").Skills(feedback.Skills, "feedback.skills");
        }
        if (request.Overflow is { } overflow)
        {
            v.Id(overflow.QueueId, "overflow.queueId")
                .Require(overflow.QueueId != queueId, "overflow.queueId", "overflow-to-self", "A queue cannot overflow into itself.")
                .Require(overflow.AfterSeconds is not null, "overflow.afterSeconds", "required", "'overflow.afterSeconds' is required.")
                .Range(overflow.AfterSeconds, "overflow.afterSeconds", Limits.OverflowAfterSeconds);
        }
        if (v.ToProblem() is { } invalid)
        {
            return invalid;
        }
        if (
            request.Overflow is { QueueId: { } overflowId }
            && await grains.Grain<IQueueGrain>(Workspace.Key(http, overflowId)).GetAsync() is null
        )
        {
            return Problem.NotFound("queue-not-found", $"No queue '{overflowId}' to overflow into.", "overflow.queueId");
        }
        if (
            request.Feedback is { QueueId: { } feedbackId }
            && feedbackId != queueId
            && await grains.Grain<IQueueGrain>(Workspace.Key(http, feedbackId)).GetAsync() is null
        )
        {
            return Problem.NotFound("queue-not-found", $"No queue '{feedbackId}' for the follow-ups.", "feedback.queueId");
        }
        var definition = new QueueDefinition(
            request.Name!.Trim(),
            new ServiceLevelGoal(
                request.ServiceLevel?.TargetSeconds ?? ServiceLevelGoal.Default.TargetSeconds,
                request.ServiceLevel?.Percent ?? ServiceLevelGoal.Default.Percent
            ),
            request.Selection ?? QueueDefinition.DefaultSelection,
            request.AgingPerSecond ?? 0,
            request.WrapUpSeconds ?? [],
            request.OfferTimeoutSeconds ?? QueueDefinition.DefaultOfferTimeoutSeconds,
            request.Overflow is { } o ? new OverflowRule(o.QueueId!, o.AfterSeconds!.Value) : null,
            request.MaxLength,
            request.SelfService ?? SelfServiceModes.Off,
            codes.Count == 0 ? null : [.. codes.Select(c => new DispositionCode(c!.Code!, c.Name!.Trim()))],
            request.Hours is { } h
                ? new QueueHours(
                    h.TimeZone!,
                    [.. (h.Weekly ?? []).Select(w => new OpeningHours([.. w!.Days!.Select(d => d!)], w.Open!, w.Close!))],
                    [.. (h.Holidays ?? []).Select(d => d!)]
                )
                : null,
            request.Feedback is { } fb ? new FeedbackRule(fb.QueueId!, fb.Skills ?? []) : null
        );
        var queue = grains.Grain<IQueueGrain>(Workspace.Key(http, queueId));
        var existed = await queue.GetAsync() is not null;
        var response = QueueResponse.From(await queue.DefineAsync(definition));
        return existed ? TypedResults.Ok(response) : TypedResults.Created($"/api/queues/{queueId}", response);
    }

    public static async Task<Ok<List<QueueResponse>>> ListQueues(HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok((await grains.Grain<IDirectoryGrain>(Workspace.Of(http)).ListQueuesAsync()).Select(QueueResponse.From).ToList());

    public static async Task<Results<Ok<QueueResponse>, NotFoundProblem>> GetQueue(string queueId, HttpContext http, IGrainFactory grains)
    {
        if (!RequestValidator.IsId(queueId) || await grains.Grain<IQueueGrain>(Workspace.Key(http, queueId)).GetAsync() is not { } info)
        {
            return QueueNotFound(queueId);
        }
        return TypedResults.Ok(QueueResponse.From(info));
    }

    public static async Task<Results<Ok<QueueStats>, NotFoundProblem>> GetQueueStats(string queueId, HttpContext http, IGrainFactory grains)
    {
        if (!RequestValidator.IsId(queueId))
        {
            return QueueNotFound(queueId);
        }
        return TypedResults.Ok(await grains.Grain<IQueueGrain>(Workspace.Key(http, queueId)).GetStatsAsync());
    }

    private static NotFoundProblem QueueNotFound(string queueId) =>
        Problem.NotFound("queue-not-found", $"No queue '{queueId}' in this workspace.", "queueId");
}
