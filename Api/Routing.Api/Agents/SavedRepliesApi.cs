using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Routing.Api.Auth;
using Routing.Api.Problems;
using Routing.Contracts;
using Routing.Contracts.Knowledge;

namespace Routing.Api.Agents;

/// <summary>
/// <c>/api/agents/{agentId}/replies</c>: an agent's own saved replies (docs/self-service.md, "Saved replies"), the desk's
/// second source of canned replies beside the knowledge base. An agent reads and changes its own; an admin or a
/// supervisor any agent's of the workspace.
/// </summary>
public static class SavedRepliesApi
{
    public static RouteGroupBuilder MapSavedRepliesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/agents/{agentId}/replies").WithTags("Agents");
        group
            .MapGet("/", ListReplies)
            .WithName("ListSavedReplies")
            .WithSummary("An agent's saved replies, by title (an agent: its own)")
            .Allow(Access.Staff);
        group
            .MapPut("/{replyId}", PutReply)
            .WithName("PutSavedReply")
            .WithSummary("Create a saved reply or change it (an agent: its own)")
            .Allow(Access.Staff);
        group
            .MapDelete("/{replyId}", DeleteReply)
            .WithName("DeleteSavedReply")
            .WithSummary("Delete a saved reply (an agent: its own)")
            .Allow(Access.Staff);
        return group;
    }

    public static async Task<Results<Ok<List<ReplyResponse>>, ForbiddenProblem, NotFoundProblem>> ListReplies(
        string agentId,
        HttpContext http,
        IGrainFactory grains
    )
    {
        if (Caller.Of(http).IsOtherAgent(agentId))
        {
            return Access.NotYourAgent();
        }
        if (!await AgentExistsAsync(agentId, http, grains))
        {
            return AgentNotFound(agentId);
        }
        return TypedResults.Ok((await Replies(http, grains, agentId).ListAsync()).Select(ReplyResponse.From).ToList());
    }

    public static async Task<
        Results<Ok<ReplyResponse>, Created<ReplyResponse>, BadRequestProblem, ForbiddenProblem, NotFoundProblem, ConflictProblem>
    > PutReply(string agentId, string replyId, ReplyRequest request, HttpContext http, IGrainFactory grains)
    {
        if (Caller.Of(http).IsOtherAgent(agentId))
        {
            return Access.NotYourAgent();
        }
        if (!await AgentExistsAsync(agentId, http, grains))
        {
            return AgentNotFound(agentId);
        }
        var v = new RequestValidator()
            .Id(replyId, "replyId")
            .Line(request.Title, "title", Limits.ReplyTitleLength)
            .Text(request.Text, "text", Limits.ReplyTextLength)
            .Range(request.Version, "version", 0, long.MaxValue);
        if (v.ToProblem() is { } invalid)
        {
            return invalid;
        }
        var saved = await Replies(http, grains, agentId)
            .SaveAsync(new SavedReplyDraft(replyId, request.Title!.Trim(), request.Text!.Trim(), request.Version));
        var response = ReplyResponse.From(saved.Reply);
        return saved.Created ? TypedResults.Created($"/api/agents/{agentId}/replies/{replyId}", response) : TypedResults.Ok(response);
    }

    public static async Task<Results<NoContent, ForbiddenProblem, NotFoundProblem>> DeleteReply(
        string agentId,
        string replyId,
        HttpContext http,
        IGrainFactory grains
    )
    {
        if (Caller.Of(http).IsOtherAgent(agentId))
        {
            return Access.NotYourAgent();
        }
        if (!await AgentExistsAsync(agentId, http, grains))
        {
            return AgentNotFound(agentId);
        }
        if (!RequestValidator.IsId(replyId) || !await Replies(http, grains, agentId).DeleteAsync(replyId))
        {
            return Problem.NotFound("reply-not-found", $"Agent '{agentId}' has no saved reply '{replyId}'.", "replyId");
        }
        return TypedResults.NoContent();
    }

    private static async Task<bool> AgentExistsAsync(string agentId, HttpContext http, IGrainFactory grains) =>
        RequestValidator.IsId(agentId) && await grains.Grain<IAgentGrain>(Workspace.Key(http, agentId)).GetAsync() is not null;

    private static NotFoundProblem AgentNotFound(string agentId) =>
        Problem.NotFound("agent-not-found", $"No agent '{agentId}' in this workspace.", "agentId");

    private static ISavedRepliesGrain Replies(HttpContext http, IGrainFactory grains, string agentId) =>
        grains.GetGrain<ISavedRepliesGrain>(Workspace.Key(http, agentId));
}

/// <summary>
/// The body of <c>PUT /api/agents/{agentId}/replies/{replyId}</c>. With <c>version</c>, the change is refused (409
/// <c>version-conflict</c>) unless it is the reply's current version (0 for one that does not exist yet).
/// </summary>
public sealed record ReplyRequest(string? Title, string? Text, long? Version);

/// <summary>A saved reply, in its current version.</summary>
public sealed record ReplyResponse(string Id, string Title, string Text, long Version, DateTimeOffset UpdatedAt)
{
    public static ReplyResponse From(SavedReply r) => new(r.ReplyId, r.Title, r.Text, r.Version, r.UpdatedAt);
}
