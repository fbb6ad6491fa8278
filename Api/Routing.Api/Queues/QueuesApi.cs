using Routing.Api.Auth;
using Routing.Contracts.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Routing.Api.Problems;
using Routing.Contracts;

namespace Routing.Api.Queues;

/// <summary><c>/api/queues</c>: define queues, read them and their live statistics.</summary>
public static class QueuesApi
{
    private static readonly string[] ReadQueues = [StaffRoles.Admin, StaffRoles.Supervisor, StaffRoles.Agent, StaffRoles.Integration];

    public static RouteGroupBuilder MapQueuesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/queues").WithTags("Queues");
        group.MapPut("/{queueId}", PutQueue).WithName("PutQueue").WithSummary("Create or replace a queue").Allow(StaffRoles.Admin);
        group.MapGet("/", ListQueues).WithName("ListQueues").WithSummary("List the workspace's queues").Allow(ReadQueues);
        group.MapGet("/{queueId}", GetQueue).WithName("GetQueue").WithSummary("Read a queue's definition").Allow(ReadQueues);
        group.MapGet("/{queueId}/stats", GetQueueStats).WithName("GetQueueStats").WithSummary("The queue's live statistics")
            .Allow(StaffRoles.Admin, StaffRoles.Supervisor, StaffRoles.Integration);
        return group;
    }

    public static async Task<IResult> PutQueue(string queueId, QueueRequest request, HttpContext http, IGrainFactory grains, IOptions<RoutingOptions> options)
    {
        var channels = options.Value.Channels;
        var v = new RequestValidator().Id(queueId, "queueId").Name(request.Name);
        v.Range(request.ServiceLevel?.TargetSeconds, "serviceLevel.targetSeconds", 1, 3600)
            .Range(request.ServiceLevel?.Percent, "serviceLevel.percent", 0, 100)
            .Range(request.AgingPerSecond, "agingPerSecond", 0, 1000)
            .Range(request.OfferTimeoutSeconds, "offerTimeoutSeconds", 1, 300)
            .Range(request.MaxLength, "maxLength", 1, 1_000_000);
        foreach (var (channel, seconds) in request.WrapUpSeconds ?? [])
        {
            v.Require(channels.ContainsKey(channel), $"wrapUpSeconds.{channel}", "unknown-channel", $"Unknown channel '{channel}'.")
                .Range(seconds, $"wrapUpSeconds.{channel}", 0, 3600);
        }
        if (request.Overflow is { } overflow)
        {
            v.Id(overflow.QueueId, "overflow.queueId")
                .Require(overflow.QueueId != queueId, "overflow.queueId", "overflow-to-self", "A queue cannot overflow into itself.")
                .Require(overflow.AfterSeconds is not null, "overflow.afterSeconds", "required", "'overflow.afterSeconds' is required.")
                .Range(overflow.AfterSeconds, "overflow.afterSeconds", 0, 86_400);
        }
        if (v.ToProblem() is { } invalid)
        {
            return invalid;
        }
        if (request.Overflow is { QueueId: { } overflowId } && await grains.Grain<IQueueGrain>(Workspace.Key(http, overflowId)).GetAsync() is null)
        {
            return Problem.Of(StatusCodes.Status404NotFound, "queue-not-found", $"No queue '{overflowId}' to overflow into.", "overflow.queueId");
        }
        var definition = new QueueDefinition(
            request.Name!.Trim(),
            new ServiceLevelGoal(request.ServiceLevel?.TargetSeconds ?? ServiceLevelGoal.Default.TargetSeconds, request.ServiceLevel?.Percent ?? ServiceLevelGoal.Default.Percent),
            request.Selection ?? QueueDefinition.DefaultSelection,
            request.AgingPerSecond ?? 0,
            request.WrapUpSeconds ?? [],
            request.OfferTimeoutSeconds ?? QueueDefinition.DefaultOfferTimeoutSeconds,
            request.Overflow is { } o ? new OverflowRule(o.QueueId!, o.AfterSeconds!.Value) : null,
            request.MaxLength);
        var queue = grains.Grain<IQueueGrain>(Workspace.Key(http, queueId));
        var existed = await queue.GetAsync() is not null;
        var response = QueueResponse.From(await queue.DefineAsync(definition));
        return existed ? TypedResults.Ok(response) : TypedResults.Created($"/api/queues/{queueId}", response);
    }

    public static async Task<Ok<List<QueueResponse>>> ListQueues(HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok((await grains.Grain<IDirectoryGrain>(Workspace.Of(http)).ListQueuesAsync()).Select(QueueResponse.From).ToList());

    public static async Task<IResult> GetQueue(string queueId, HttpContext http, IGrainFactory grains)
    {
        if (!RequestValidator.IsId(queueId) || await grains.Grain<IQueueGrain>(Workspace.Key(http, queueId)).GetAsync() is not { } info)
        {
            return Problem.Of(StatusCodes.Status404NotFound, "queue-not-found", $"No queue '{queueId}' in this workspace.", "queueId");
        }
        return TypedResults.Ok(QueueResponse.From(info));
    }

    public static async Task<IResult> GetQueueStats(string queueId, HttpContext http, IGrainFactory grains)
    {
        if (!RequestValidator.IsId(queueId))
        {
            return Problem.Of(StatusCodes.Status404NotFound, "queue-not-found", $"No queue '{queueId}' in this workspace.", "queueId");
        }
        return TypedResults.Ok(await grains.Grain<IQueueGrain>(Workspace.Key(http, queueId)).GetStatsAsync());
    }
}
