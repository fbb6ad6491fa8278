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

    /// <summary>Answered, not configured: whether the topic's queue is open now by its business hours (docs/routing.md,
    /// "Business hours"); a closed one takes a message for its opening (<c>POST /api/chat/messages</c>).</summary>
    public bool Open { get; set; } = true;

    /// <summary>Answered, not configured: when a closed topic's queue next opens.</summary>
    public DateTimeOffset? OpensAt { get; set; }
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

/// <summary>A message a visitor leaves for a topic's next opening: a name, an email address to be answered at (optional),
/// the message.</summary>
public sealed record LeaveMessageRequest(string? TopicId, string? Name, string? Email, string? Message);

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
            .ProducesProblem(StatusCodes.Status409Conflict) // queue-closed: outside its business hours
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity); // an idempotency key reused for another start
        group
            .MapPost("/messages", LeaveMessage)
            .WithName("LeaveMessage")
            .WithSummary("A visitor leaves a message on a topic: an email conversation, offered when the topic's queue opens")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
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
        return await StartOnTopicAsync(
            "chat",
            request.TopicId!,
            request.Name!,
            null,
            request.Message,
            request,
            http,
            grains,
            chat.Value,
            routing.Value,
            tokens,
            door
        );
    }

    /// <summary>
    /// A visitor leaves a message for a topic — most often outside its queue's business hours, when a chat is refused
    /// (<c>queue-closed</c>): an <c>email</c> conversation with the message as its first words and the address as its
    /// <c>email</c> attribute, which waits in the queue's line and is offered when the queue opens (docs/routing.md,
    /// "Business hours"). An <c>Idempotency-Key</c> works as on <c>POST /api/chat/conversations</c>.
    /// </summary>
    public static async Task<
        Results<Created<ConversationResponse>, BadRequestProblem, NotFoundProblem, TooLargeProblem, UnavailableProblem>
    > LeaveMessage(
        LeaveMessageRequest request,
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
            .Line(request.Email, "email", Limits.EmailLength, required: false)
            .Require(
                request.Email is null || System.Net.Mail.MailAddress.TryCreate(request.Email, out _),
                "email",
                "invalid-email",
                "'email' is not an email address."
            )
            .Text(request.Message, "message", routing.Value.MaxMessageLength);
        if (v.ToProblem() is { } invalid)
        {
            return invalid;
        }
        var attributes = request.Email is { } email ? new Dictionary<string, string> { ["email"] = email.Trim() } : null;
        return await StartOnTopicAsync(
            "email",
            request.TopicId!,
            request.Name!,
            attributes,
            request.Message,
            request,
            http,
            grains,
            chat.Value,
            routing.Value,
            tokens,
            door
        );
    }

    /// <summary>
    /// Starts a visitor's conversation on <paramref name="channel"/> in the topic's queue, with its skills: the tier is
    /// standard and the customer id made up (<c>visitor-…</c>), never the visitor's word, so nobody poses as a known
    /// customer. An <c>Idempotency-Key</c> is read as for a create, scoped by channel.
    /// </summary>
    private static async Task<
        Results<Created<ConversationResponse>, BadRequestProblem, NotFoundProblem, TooLargeProblem, UnavailableProblem>
    > StartOnTopicAsync<TBody>(
        string channel,
        string topicId,
        string name,
        Dictionary<string, string>? attributes,
        string? message,
        TBody request,
        HttpContext http,
        IGrainFactory grains,
        ChatOptions chat,
        RoutingOptions routing,
        TokenIssuer tokens,
        AdmissionGate door
    )
    {
        if ((await TopicsAsync(grains, chat)).FirstOrDefault(t => t.Id == topicId) is not { } topic)
        {
            return Problem.NotFound("topic-not-found", $"No chat topic '{topicId}'.", "topicId");
        }
        var conversation = new ConversationRequest(
            channel,
            topic.QueueId,
            new CustomerDto("visitor-" + Guid.NewGuid().ToString("N")[..12], name.Trim(), "standard"),
            null,
            topic.Skills.Count > 0
                ? topic.Skills.Select(s => new SkillStepDto(new Dictionary<string, int>(s.Requirements), s.Seconds)).ToList()
                : null,
            attributes,
            message
        );
        if (ConversationRequestValidation.Validate(conversation, routing) is { } refused)
        {
            return refused; // a topic configured with skills the server refuses
        }
        // The header is bound by the endpoints for the OpenAPI document; IdempotencyKey.Read reads it from the request as sent.
        var (key, badKey) = IdempotencyKey.Read(http.Request, chat.Workspace, channel == "chat" ? "chat" : "chat-" + channel, request);
        if (badKey is not null)
        {
            return badKey;
        }
        return (await ConversationsApi.StartAsync(chat.Workspace, conversation, grains, routing, tokens, door, key, http)).Result switch
        {
            Created<ConversationResponse> created => created,
            BadRequestProblem bad => bad,
            TooLargeProblem tooLarge => tooLarge,
            UnavailableProblem unavailable => unavailable,
            var other => throw new InvalidOperationException($"Unexpected result {other.GetType().Name}."),
        };
    }

    /// <summary>The topics, each with whether its queue is open now and when it next opens.</summary>
    private static async Task<List<ChatTopic>> TopicsAsync(IGrainFactory grains, ChatOptions options)
    {
        var topics =
            options.Topics.Count > 0
                ? options.Topics
                : (await grains.Grain<IDirectoryGrain>(options.Workspace).ListQueuesAsync())
                    .Select(q => new ChatTopic
                    {
                        Id = q.QueueId,
                        Name = q.Definition.Name,
                        QueueId = q.QueueId,
                    })
                    .ToList();
        var openings = await Task.WhenAll(topics.Select(t => OpeningAsync(grains, options.Workspace, t.QueueId)));
        return
        [
            .. topics.Zip(
                openings,
                (t, o) =>
                    new ChatTopic
                    {
                        Id = t.Id,
                        Name = t.Name,
                        Names = t.Names,
                        QueueId = t.QueueId,
                        Skills = t.Skills,
                        Open = o.Open,
                        OpensAt = o.OpensAt,
                    }
            ),
        ];
    }

    /// <summary>A configured topic may name a queue not defined (yet): it is taken as open, and a start says why it fails.</summary>
    private static async Task<QueueOpening> OpeningAsync(IGrainFactory grains, string workspace, string queueId)
    {
        try
        {
            return await grains.Grain<IQueueGrain>(GrainKeys.For(workspace, queueId)).GetOpeningAsync();
        }
        catch (RoutingException)
        {
            return new QueueOpening(true, null);
        }
    }

    private static NotFoundProblem Disabled() =>
        Problem.NotFound("chat-disabled", "The public chat widget is turned off here (Routing:Chat:Enabled).");
}
