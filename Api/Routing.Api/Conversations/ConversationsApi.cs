using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Routing.Api.Problems;
using Routing.Api.Realtime;
using Routing.Contracts;
using Routing.Policy;

namespace Routing.Api.Conversations;

/// <summary>
/// <c>/api/conversations</c>: the whole lifecycle over REST — create from any channel, read the timeline, and
/// every step an agent or customer takes (the REST twin of each realtime hub method).
/// </summary>
public static class ConversationsApi
{
    public static RouteGroupBuilder MapConversationsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/conversations").WithTags("Conversations");
        group.MapPost("/", CreateConversation).WithName("CreateConversation").WithSummary("Start a conversation and put it in line")
            .Produces<ConversationResponse>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(404).ProducesProblem(413).ProducesProblem(503);
        group.MapGet("/{conversationId}", GetConversation).WithName("GetConversation").WithSummary("State, position, timeline and transcript")
            .Produces<ConversationResponse>().ProducesProblem(404);
        group.MapPost("/{conversationId}/accept", Accept).WithName("AcceptOffer").WithSummary("The agent holding the offer accepts it")
            .Produces<ConversationResponse>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{conversationId}/decline", Decline).WithName("DeclineOffer").WithSummary("The agent holding the offer declines it")
            .Produces<ConversationResponse>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{conversationId}/messages", AddMessage).WithName("AddMessage").WithSummary("Add a message to the transcript")
            .Produces<TranscriptMessage>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(413);
        group.MapPost("/{conversationId}/complete", Complete).WithName("CompleteConversation").WithSummary("End it with a disposition; wrap-up begins")
            .Produces<ConversationResponse>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{conversationId}/transfer", Transfer).WithName("TransferConversation").WithSummary("Transfer to a queue or to an agent")
            .Produces<ConversationResponse>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{conversationId}/abandon", Abandon).WithName("AbandonConversation").WithSummary("The customer left before connection")
            .Produces<ConversationResponse>().ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{conversationId}/move", Move).WithName("MoveConversation").WithSummary("A supervisor moves a waiting conversation to another queue")
            .Produces<ConversationResponse>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{conversationId}/rating", Rate).WithName("RateConversation").WithSummary("The customer's 1-5 score after completion")
            .Produces<ConversationResponse>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        return group;
    }

    public static async Task<IResult> CreateConversation(
        ConversationRequest request, HttpContext http, IGrainFactory grains, IOptions<RoutingOptions> options, CustomerTokens tokens)
    {
        if (ConversationRequestValidation.Validate(request, options.Value) is { } invalid)
        {
            return invalid;
        }
        if (await grains.GetGrain<IQueueGrain>(Workspace.Key(http, request.QueueId!)).GetAsync() is null)
        {
            return Problem.Of(StatusCodes.Status404NotFound, "queue-not-found", $"No queue '{request.QueueId}' in this workspace.", "queueId");
        }
        var id = Guid.CreateVersion7().ToString("N");
        var view = await Conversation(http, grains, id).StartAsync(ConversationRequestValidation.ToCommand(request, options.Value));
        return TypedResults.Created($"/api/conversations/{id}",
            ConversationResponse.From(view) with { CustomerToken = tokens.Issue(Workspace.Of(http), id) });
    }

    public static Task<IResult> GetConversation(string conversationId, HttpContext http, IGrainFactory grains) =>
        Run(conversationId, http, grains, null, c => c.GetAsync());

    public static Task<IResult> Accept(string conversationId, AgentActionRequest request, HttpContext http, IGrainFactory grains) =>
        Run(conversationId, http, grains, new RequestValidator().Id(request.AgentId, "agentId"), c => c.AcceptAsync(request.AgentId!));

    public static Task<IResult> Decline(string conversationId, AgentActionRequest request, HttpContext http, IGrainFactory grains) =>
        Run(conversationId, http, grains, new RequestValidator().Id(request.AgentId, "agentId"), c => c.DeclineAsync(request.AgentId!));

    public static async Task<IResult> AddMessage(string conversationId, MessageRequest request, HttpContext http, IGrainFactory grains, IOptions<RoutingOptions> options)
    {
        if (!RequestValidator.IsId(conversationId))
        {
            return NotFound(conversationId);
        }
        if (request.Text is { } text && text.Length > options.Value.MaxMessageLength)
        {
            return Problem.Of(StatusCodes.Status413PayloadTooLarge, "message-too-large", $"A message may hold at most {options.Value.MaxMessageLength} characters.", "text");
        }
        var v = new RequestValidator()
            .Require(request.From is "customer" or "agent", "from", "invalid-sender", "'from' must be 'customer' or 'agent'.")
            .Text(request.Text, "text", options.Value.MaxMessageLength);
        if (request.From == "agent")
        {
            v.Id(request.AgentId, "agentId");
        }
        if (v.ToProblem() is { } invalid)
        {
            return invalid;
        }
        var message = await Conversation(http, grains, conversationId).AddMessageAsync(request.From!, request.AgentId, request.Text!);
        return TypedResults.Created($"/api/conversations/{conversationId}", message);
    }

    public static Task<IResult> Complete(string conversationId, CompleteRequest request, HttpContext http, IGrainFactory grains) =>
        Run(conversationId, http, grains,
            new RequestValidator().Id(request.AgentId, "agentId").Text(request.Disposition, "disposition", 64, required: false),
            c => c.CompleteAsync(request.AgentId!, request.Disposition));

    public static Task<IResult> Transfer(string conversationId, TransferRequest request, HttpContext http, IGrainFactory grains)
    {
        var v = new RequestValidator().Id(request.AgentId, "agentId")
            .Require((request.ToQueueId is null) != (request.ToAgentId is null), "toQueueId", "transfer-target", "Give exactly one of 'toQueueId' and 'toAgentId'.");
        if (request.ToQueueId is not null)
        {
            v.Id(request.ToQueueId, "toQueueId");
        }
        if (request.ToAgentId is not null)
        {
            v.Id(request.ToAgentId, "toAgentId");
        }
        return Run(conversationId, http, grains, v, c => request.ToQueueId is { } queueId
            ? c.TransferToQueueAsync(request.AgentId!, queueId)
            : c.TransferToAgentAsync(request.AgentId!, request.ToAgentId!));
    }

    public static Task<IResult> Abandon(string conversationId, HttpContext http, IGrainFactory grains) =>
        Run(conversationId, http, grains, null, c => c.AbandonAsync());

    public static Task<IResult> Move(string conversationId, MoveRequest request, HttpContext http, IGrainFactory grains) =>
        Run(conversationId, http, grains, new RequestValidator().Id(request.ToQueueId, "toQueueId"), c => c.MoveToQueueAsync(request.ToQueueId!));

    public static Task<IResult> Rate(string conversationId, RatingRequest request, HttpContext http, IGrainFactory grains) =>
        Run(conversationId, http, grains,
            new RequestValidator().Require(request.Score is >= 1 and <= 5, "score", "score-out-of-range", "'score' must be a whole number from 1 to 5."),
            c => c.RateAsync(request.Score!.Value));

    /// <summary>Validates, then calls the conversation; an unknown id answers 404 without touching anything.</summary>
    private static async Task<IResult> Run(string conversationId, HttpContext http, IGrainFactory grains, RequestValidator? validator, Func<IConversationGrain, Task<ConversationView>> call)
    {
        if (!RequestValidator.IsId(conversationId))
        {
            return NotFound(conversationId);
        }
        if (validator?.ToProblem() is { } invalid)
        {
            return invalid;
        }
        return TypedResults.Ok(ConversationResponse.From(await call(Conversation(http, grains, conversationId))));
    }

    private static IConversationGrain Conversation(HttpContext http, IGrainFactory grains, string id) =>
        grains.GetGrain<IConversationGrain>(Workspace.Key(http, id));

    private static IResult NotFound(string id) =>
        Problem.Of(StatusCodes.Status404NotFound, "conversation-not-found", $"No conversation '{id}' in this workspace.", "conversationId");
}
