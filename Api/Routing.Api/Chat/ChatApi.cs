using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Routing.Contracts;

namespace Routing.Api.Chat;

/// <summary>
/// A chat topic the customer widget offers ("Orders", "Billing"…): which queue it starts a conversation in and
/// what skills it asks for. <see cref="Names"/> holds the label per language (<c>en</c>, <c>zh</c>); a missing
/// language falls back to <see cref="Name"/>.
/// </summary>
public sealed class ChatTopic
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public Dictionary<string, string> Names { get; set; } = [];

    public string QueueId { get; set; } = "";

    public List<SkillRequirementStep> Skills { get; set; } = [];
}

/// <summary><c>Routing:Chat</c>: the widget's topics. Without any, every queue of the workspace is a topic.</summary>
public sealed class ChatOptions
{
    public List<ChatTopic> Topics { get; set; } = [];
}

/// <summary><c>/api/chat/topics</c>: what the customer widget offers to choose from.</summary>
public static class ChatApi
{
    public static RouteGroupBuilder MapChatApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/chat").WithTags("Chat");
        group.MapGet("/topics", ListTopics).WithName("ListChatTopics").WithSummary("The topics the customer chat widget offers, each with its queue and skills");
        return group;
    }

    public static async Task<Ok<List<ChatTopic>>> ListTopics(HttpContext http, IGrainFactory grains, IOptions<ChatOptions> options)
    {
        if (options.Value.Topics.Count > 0)
        {
            return TypedResults.Ok(options.Value.Topics);
        }
        var queues = await grains.GetGrain<IDirectoryGrain>(Workspace.Of(http)).ListQueuesAsync();
        return TypedResults.Ok(queues.Select(q => new ChatTopic { Id = q.QueueId, Name = q.Definition.Name, QueueId = q.QueueId }).ToList());
    }
}
