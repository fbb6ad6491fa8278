using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Routing.Api.Auth;
using Routing.Api.Conversations;
using Routing.Api.Problems;
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

/// <summary>
/// <c>Routing:Chat</c>: the public chat widget — the workspace it starts conversations in (default <c>default</c>),
/// whether it is on at all, and its topics (without any, every queue of the workspace is a topic).
/// </summary>
public sealed class ChatOptions
{
    public bool Enabled { get; set; } = true;

    public string Workspace { get; set; } = GrainKeys.DefaultWorkspace;

    public List<ChatTopic> Topics { get; set; } = [];
}

/// <summary>What a visitor of the public widget sends: the topic, a name to be greeted by, a first message.</summary>
public sealed record ChatStartRequest(string? TopicId, string? Name, string? Message);

/// <summary>
/// <c>/api/chat</c>: the public customer widget, for visitors without any credential. It offers the topics of the
/// chat workspace and starts a chat in one — the topic decides queue and skills, the tier is standard; a visitor
/// cannot choose a queue, skills, priority or tier (an integration with an API key can). The answer carries the
/// customer token that everything after goes by.
/// </summary>
public static class ChatApi
{
    public static RouteGroupBuilder MapChatApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/chat").WithTags("Chat").AllowAnonymous();
        group
            .MapGet("/topics", ListTopics)
            .WithName("ListChatTopics")
            .WithSummary("The topics the customer chat widget offers, each with its queue and skills");
        group
            .MapPost("/conversations", StartChat)
            .WithName("StartChat")
            .WithSummary("A visitor starts a chat on a topic; answers the conversation and its customer token")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity); // an idempotency key reused for another start
        return group;
    }

    public static async Task<Results<Ok<List<ChatTopic>>, NotFoundProblem>> ListTopics(
        IGrainFactory grains,
        IOptions<ChatOptions> options
    ) => options.Value.Enabled ? TypedResults.Ok(await TopicsAsync(grains, options.Value)) : Disabled();

    /// <summary>Starts a chat; an <c>Idempotency-Key</c> works as on <c>POST /api/conversations</c>: a retry of one start finds the same
    /// chat.</summary>
    public static async Task<
        Results<Created<ConversationResponse>, BadRequestProblem, NotFoundProblem, TooLargeProblem, UnavailableProblem>
    > StartChat(
        ChatStartRequest request,
        HttpContext http,
        IGrainFactory grains,
        IOptions<ChatOptions> chat,
        IOptions<RoutingOptions> routing,
        TokenIssuer tokens,
        AdmissionGate door,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey = null
    )
    {
        if (!chat.Value.Enabled)
        {
            return Disabled();
        }
        var v = new RequestValidator()
            .Id(request.TopicId, "topicId")
            .Name(request.Name)
            .Text(request.Message, "message", routing.Value.MaxMessageLength, required: false);
        if (v.ToProblem() is { } invalid)
        {
            return invalid;
        }
        if ((await TopicsAsync(grains, chat.Value)).FirstOrDefault(t => t.Id == request.TopicId) is not { } topic)
        {
            return Problem.NotFound("topic-not-found", $"No chat topic '{request.TopicId}'.", "topicId");
        }
        var conversation = new ConversationRequest(
            "chat",
            topic.QueueId,
            // never the visitor's word: no posing as a known customer
            new CustomerDto("visitor-" + Guid.NewGuid().ToString("N")[..12], request.Name!.Trim(), "standard"),
            null,
            topic.Skills.Count > 0
                ? topic.Skills.Select(s => new SkillStepDto(new Dictionary<string, int>(s.Requirements), s.Seconds)).ToList()
                : null,
            null,
            request.Message
        );
        if (ConversationRequestValidation.Validate(conversation, routing.Value) is { } refused)
        {
            return refused; // a topic configured with skills the server refuses
        }
        // The header is bound above for the OpenAPI document; IdempotencyKey.Read reads it from the request as sent.
        var (key, badKey) = IdempotencyKey.Read(http.Request, chat.Value.Workspace, "chat", request);
        if (badKey is not null)
        {
            return badKey;
        }
        return (
            await ConversationsApi.StartAsync(chat.Value.Workspace, conversation, grains, routing.Value, tokens, door, key, http)
        ).Result switch
        {
            Created<ConversationResponse> created => created,
            BadRequestProblem bad => bad,
            TooLargeProblem tooLarge => tooLarge,
            UnavailableProblem unavailable => unavailable,
            var other => throw new InvalidOperationException($"Unexpected result {other.GetType().Name}."),
        };
    }

    private static async Task<List<ChatTopic>> TopicsAsync(IGrainFactory grains, ChatOptions options)
    {
        if (options.Topics.Count > 0)
        {
            return options.Topics;
        }
        var queues = await grains.Grain<IDirectoryGrain>(options.Workspace).ListQueuesAsync();
        return queues
            .Select(q => new ChatTopic
            {
                Id = q.QueueId,
                Name = q.Definition.Name,
                QueueId = q.QueueId,
            })
            .ToList();
    }

    private static NotFoundProblem Disabled() =>
        Problem.NotFound("chat-disabled", "The public chat widget is turned off here (Routing:Chat:Enabled).");
}
