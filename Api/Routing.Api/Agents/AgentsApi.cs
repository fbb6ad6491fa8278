using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Routing.Api.Auth;
using Routing.Api.Problems;
using Routing.Contracts;
using Routing.Contracts.Access;

namespace Routing.Api.Agents;

/// <summary><c>/api/agents</c>: define agents (skills, capacity, routing profile), read them, set their status.</summary>
public static class AgentsApi
{
    public static RouteGroupBuilder MapAgentsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/agents").WithTags("Agents");
        group
            .MapPut("/{agentId}", PutAgent)
            .WithName("PutAgent")
            .WithSummary("Create or replace an agent")
            .Allow(StaffRoles.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound); // a queue it names that does not exist, refused by the agent itself
        group
            .MapGet("/", ListAgents)
            .WithName("ListAgents")
            .WithSummary("List the workspace's agents (the desk's transfer directory too)")
            .Allow(Access.Staff);
        group
            .MapGet("/{agentId}", GetAgent)
            .WithName("GetAgent")
            .WithSummary("Read an agent: status, assignments, offers (an agent: itself)")
            .Allow(Access.Staff);
        group
            .MapPost("/{agentId}/status", SetStatus)
            .WithName("SetAgentStatus")
            .WithSummary("Set Available, Away (with a reason) or Offline (an agent: its own)")
            .Allow(Access.Staff);
        return group;
    }

    public static async Task<Results<Ok<AgentResponse>, Created<AgentResponse>, BadRequestProblem>> PutAgent(
        string agentId,
        AgentRequest request,
        HttpContext http,
        IGrainFactory grains,
        IOptions<RoutingOptions> options
    )
    {
        var channels = options.Value.Channels;
        var v = new RequestValidator()
            .Id(agentId, "agentId")
            .Name(request.Name)
            .Skills(request.Skills, "skills")
            .Range(request.MaxTotal, "maxTotal", Limits.MaxTotal);
        foreach (var (channel, limit) in request.Capacity ?? [])
        {
            v.Require(
                    channels.ContainsKey(channel),
                    $"capacity.{channel}",
                    "unknown-channel",
                    $"Unknown channel '{channel}'; known: {string.Join(", ", channels.Keys)}."
                )
                .Require(limit >= 0, $"capacity.{channel}", "negative-capacity", $"Capacity on '{channel}' cannot be negative.")
                .Range(limit, $"capacity.{channel}", int.MinValue, Limits.Capacity.Max);
        }
        var queues = request.Queues ?? [];
        v.Count(queues, "queues", Limits.MaxQueuesPerAgent, "too-many-queues").Elements(queues, "queues");
        for (var i = 0; i < queues.Count; i++)
        {
            if (queues[i] is not { } queue)
            {
                continue;
            }
            v.Id(queue.QueueId, $"queues[{i}].queueId")
                .Range(queue.Rank, $"queues[{i}].rank", Limits.QueueRank)
                .Require(
                    queues.FindIndex(q => q?.QueueId == queue.QueueId) == i,
                    $"queues[{i}].queueId",
                    "duplicate-queue",
                    $"Queue '{queue.QueueId}' is listed twice."
                );
        }
        if (v.ToProblem() is { } invalid)
        {
            return invalid;
        }
        var capacity = new Dictionary<string, int>(channels, StringComparer.Ordinal);
        foreach (var (channel, limit) in request.Capacity ?? [])
        {
            capacity[channel] = limit;
        }
        var definition = new AgentDefinition(
            request.Name!.Trim(),
            request.Skills ?? [],
            capacity,
            request.MaxTotal,
            queues.Select(q => new QueueMembership(q.QueueId!, q.Rank ?? 1)).ToList()
        );
        var agent = grains.Grain<IAgentGrain>(Workspace.Key(http, agentId));
        var existed = await agent.GetAsync() is not null;
        var response = AgentResponse.From(await agent.DefineAsync(definition));
        return existed ? TypedResults.Ok(response) : TypedResults.Created($"/api/agents/{agentId}", response);
    }

    public static async Task<Ok<List<AgentResponse>>> ListAgents(HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok((await grains.Grain<IDirectoryGrain>(Workspace.Of(http)).ListAgentsAsync()).Select(AgentResponse.From).ToList());

    public static async Task<Results<Ok<AgentResponse>, ForbiddenProblem, NotFoundProblem>> GetAgent(
        string agentId,
        HttpContext http,
        IGrainFactory grains
    )
    {
        if (Caller.Of(http).IsOtherAgent(agentId))
        {
            return Access.NotYourAgent();
        }
        if (!RequestValidator.IsId(agentId) || await grains.Grain<IAgentGrain>(Workspace.Key(http, agentId)).GetAsync() is not { } agent)
        {
            return NotFound(agentId);
        }
        return TypedResults.Ok(AgentResponse.From(agent));
    }

    public static async Task<Results<Ok<AgentResponse>, BadRequestProblem, ForbiddenProblem, NotFoundProblem>> SetStatus(
        string agentId,
        StatusRequest request,
        HttpContext http,
        IGrainFactory grains
    )
    {
        if (Caller.Of(http).IsOtherAgent(agentId))
        {
            return Access.NotYourAgent();
        }
        if (!RequestValidator.IsId(agentId))
        {
            return NotFound(agentId);
        }
        var known =
            Enum.TryParse<AgentStatus>(request.Status, ignoreCase: true, out var status)
            && Enum.IsDefined(status)
            && !int.TryParse(request.Status, out _);
        var v = new RequestValidator()
            .Require(known, "status", "unknown-status", "'status' must be Available, Away or Offline.")
            .StatusReason(request.Reason);
        if (v.ToProblem() is { } invalid)
        {
            return invalid;
        }
        return TypedResults.Ok(
            AgentResponse.From(await grains.Grain<IAgentGrain>(Workspace.Key(http, agentId)).SetStatusAsync(status, request.Reason))
        );
    }

    private static NotFoundProblem NotFound(string agentId) =>
        Problem.NotFound("agent-not-found", $"No agent '{agentId}' in this workspace.", "agentId");
}
