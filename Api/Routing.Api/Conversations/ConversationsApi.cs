using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Routing.Api.Auth;
using Routing.Api.Problems;
using Routing.Contracts;
using Routing.Contracts.Access;
using Routing.Contracts.Knowledge;
using AgentAction = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<Routing.Api.Conversations.ConversationResponse>,
    Routing.Api.Problems.BadRequestProblem,
    Routing.Api.Problems.ForbiddenProblem,
    Routing.Api.Problems.NotFoundProblem
>;
using CreateResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Created<Routing.Api.Conversations.ConversationResponse>,
    Routing.Api.Problems.BadRequestProblem,
    Routing.Api.Problems.TooLargeProblem,
    Routing.Api.Problems.UnavailableProblem
>;
using Step = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<Routing.Api.Conversations.ConversationResponse>,
    Routing.Api.Problems.BadRequestProblem,
    Routing.Api.Problems.NotFoundProblem
>;

namespace Routing.Api.Conversations;

/// <summary>
/// <c>/api/conversations</c>: the whole lifecycle over REST — create from any channel, read the timeline, and
/// every step an agent or customer takes (the REST twin of each realtime hub method).
/// </summary>
public static class ConversationsApi
{
    private static readonly string[] Creators = [StaffRoles.Admin, StaffRoles.Supervisor, StaffRoles.Integration];

    // An API key creates conversations; what follows on the customer's side goes by the customer token its creation
    // answered, so one key cannot read or speak in the conversations of the widget or of other keys.
    private static readonly string[] CustomerSide = [StaffRoles.Admin, StaffRoles.Customer];

    public static RouteGroupBuilder MapConversationsApi(this IEndpointRouteBuilder routes)
    {
        // What a handler answers comes from its signature; what the conversation grain may refuse (a state that does
        // not allow the step: 409; an unknown queue: 404; a key reused for another request: 422) is declared here.
        var group = routes.MapGroup("/api/conversations").WithTags("Conversations");
        group
            .MapPost("/", CreateConversation)
            .WithName("CreateConversation")
            .WithSummary("Start a conversation and put it in line")
            .Allow(Creators)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict) // queue-closed: outside its business hours
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group
            .MapGet("/{conversationId}", GetConversation)
            .WithName("GetConversation")
            .WithSummary("State, position, timeline and transcript (an agent: one it holds or is offered)")
            .Allow(StaffRoles.Admin, StaffRoles.Supervisor, StaffRoles.Agent);
        group
            .MapPost("/{conversationId}/accept", Accept)
            .WithName("AcceptOffer")
            .WithSummary("The agent holding the offer accepts it")
            .Allow(Access.Staff)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group
            .MapPost("/{conversationId}/decline", Decline)
            .WithName("DeclineOffer")
            .WithSummary("The agent holding the offer declines it")
            .Allow(Access.Staff)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group
            .MapPost("/{conversationId}/messages", AddMessage)
            .WithName("AddMessage")
            .WithSummary("Add a message to the transcript: as its agent, or as its customer")
            .Allow([.. Access.Staff, StaffRoles.Customer])
            .ProducesProblem(StatusCodes.Status409Conflict);
        group
            .MapPost("/{conversationId}/complete", Complete)
            .WithName("CompleteConversation")
            .WithSummary("End it with a disposition; wrap-up begins")
            .Allow(Access.Staff)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group
            .MapPost("/{conversationId}/finish-wrap-up", FinishWrapUp)
            .WithName("FinishWrapUp")
            .WithSummary("The agent is done wrapping up before the wrap-up time is over; the slot is free")
            .Allow(Access.Staff)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group
            .MapPost("/{conversationId}/transfer", Transfer)
            .WithName("TransferConversation")
            .WithSummary("Transfer to a queue or to an agent")
            .Allow(Access.Staff)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group
            .MapPost("/{conversationId}/abandon", Abandon)
            .WithName("AbandonConversation")
            .WithSummary("The customer left before connection")
            .Allow(CustomerSide)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group
            .MapPost("/{conversationId}/move", Move)
            .WithName("MoveConversation")
            .WithSummary("A supervisor moves a waiting conversation to another queue")
            .Allow(Access.Supervisors)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group
            .MapPost("/{conversationId}/monitor", Monitor)
            .WithName("MonitorConversation")
            .WithSummary("A supervisor opens a conversation: recorded as a monitor note; live updates come over the supervisor hub")
            .Allow(Access.Supervisors);
        group
            .MapPost("/{conversationId}/whisper", Whisper)
            .WithName("WhisperToAgent")
            .WithSummary("A supervisor's note to the agent alone, never shown or sent to the customer")
            .Allow(Access.Supervisors)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group
            .MapPost("/{conversationId}/barge-in", BargeIn)
            .WithName("BargeIn")
            .WithSummary("A supervisor joins the connected conversation visibly, and may then write in it")
            .Allow(Access.Supervisors)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group
            .MapPost("/{conversationId}/notes", AddNote)
            .WithName("AddNote")
            .WithSummary("A private note on the conversation: by its agent while it holds it, or by a supervisor")
            .Allow(Access.Staff)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group
            .MapGet("/{conversationId}/history", CustomerHistory)
            .WithName("CustomerHistory")
            .WithSummary("The customer's earlier conversations, newest first, with tier and attributes (an agent: for one it holds)")
            .Allow(Access.Staff);
        group
            .MapPost("/{conversationId}/escalate", Escalate)
            .WithName("EscalateConversation")
            .WithSummary("From the self-service step, the customer asks for a person")
            .Allow(CustomerSide)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group
            .MapPost("/{conversationId}/resolve", Resolve)
            .WithName("ResolveConversation")
            .WithSummary("From the self-service step, the customer takes an answer the bot gave: resolved by self-service")
            .Allow(CustomerSide)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group
            .MapGet("/{conversationId}/suggestions", Suggest)
            .WithName("SuggestAnswers")
            .WithSummary("In the self-service step, the knowledge base's good answers to what the customer is typing")
            .Allow(CustomerSide)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group
            .MapPost("/{conversationId}/rating", Rate)
            .WithName("RateConversation")
            .WithSummary("The customer's 1-5 score after completion")
            .Allow(CustomerSide)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    /// <summary>
    /// Creates a conversation. With an <c>Idempotency-Key</c> header (a random UUID of the caller's making per new
    /// conversation), a retry with the same key within 24 hours answers the first result — the same conversation, 201 —
    /// and the same key with another request 422.
    /// </summary>
    public static async Task<CreateResult> CreateConversation(
        ConversationRequest request,
        HttpContext http,
        IGrainFactory grains,
        IOptions<RoutingOptions> options,
        TokenIssuer tokens,
        AdmissionGate door,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey = null
    )
    {
        if (ConversationRequestValidation.TooLarge(request, options.Value) is { } tooLarge)
        {
            return tooLarge;
        }
        if (ConversationRequestValidation.Validate(request, options.Value) is { } invalid)
        {
            return invalid;
        }
        var workspace = Workspace.Of(http);
        // The header is bound above for the OpenAPI document; IdempotencyKey.Read reads it from the request as sent.
        var (key, refused) = IdempotencyKey.Read(http.Request, workspace, "api", request);
        return refused is not null ? refused : await StartAsync(workspace, request, grains, options.Value, tokens, door, key, http);
    }

    /// <summary>
    /// Puts a validated request in line in <paramref name="workspace"/>; the answer carries the customer's token. When
    /// the silo already has as many creates in progress as it takes (<paramref name="door"/>), refuses at once with 503
    /// <c>overloaded</c> and <c>Retry-After</c>, having changed nothing.
    /// </summary>
    public static async Task<CreateResult> StartAsync(
        string workspace,
        ConversationRequest request,
        IGrainFactory grains,
        RoutingOptions options,
        TokenIssuer tokens,
        AdmissionGate door,
        IdempotencyKey? key = null,
        HttpContext? http = null
    )
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(door);
        using var admission = door.TryEnter();
        if (!admission.Admitted)
        {
            return Problem.Unavailable(
                "overloaded",
                "The server is taking as many new conversations as it can; try again shortly.",
                door.RetryAfter
            );
        }
        // An unknown queue is refused by the queue itself (404 queue-not-found) before anything is written: no call to ask first.
        var id = key?.ConversationId ?? Guid.CreateVersion7().ToString("N");
        var view = await grains
            .Conversation(workspace, id)
            .StartAsync(ConversationRequestValidation.ToCommand(request, options) with { RequestHash = key?.RequestHash });
        if (view.Replayed && http is not null)
        {
            http.Response.Headers[IdempotencyKey.ReplayedHeader] = "true";
        }
        return TypedResults.Created(
            $"/api/conversations/{id}",
            ConversationResponse.From(view, null) with
            {
                CustomerToken = tokens.ForCustomer(workspace, id),
            }
        );
    }

    public static async Task<Results<Ok<ConversationResponse>, ForbiddenProblem, NotFoundProblem>> GetConversation(
        string conversationId,
        HttpContext http,
        IGrainFactory grains
    )
    {
        if (!RequestValidator.IsId(conversationId))
        {
            return ConversationNotFound(conversationId);
        }
        var view = await Conversation(http, grains, conversationId).GetAsync();
        return NotAgentsToRead(Caller.Of(http), view) is { } forbidden
            ? forbidden
            : TypedResults.Ok(ConversationResponse.From(view, Caller.Of(http)));
    }

    /// <summary>An agent reads only a conversation it holds or is offered: the refusal otherwise, or null.</summary>
    private static ForbiddenProblem? NotAgentsToRead(Caller caller, ConversationView view) =>
        caller is { Role: StaffRoles.Agent, AgentId: var me }
        && view.AgentId != me
        && !(view.State == ConversationState.Offered && view.Offers.Count > 0 && view.Offers[^1].AgentId == me)
            ? Problem.Forbidden("not-your-conversation", "An agent reads only the conversations it holds or is offered.", "conversationId")
            : null;

    /// <summary>How many earlier conversations <c>GET /api/conversations/{id}/history</c> answers at most, and by default.</summary>
    public const int MaxHistory = 100;

    public const int DefaultHistory = 20;

    public static async Task<Results<Ok<CustomerHistoryResponse>, BadRequestProblem, ForbiddenProblem, NotFoundProblem>> CustomerHistory(
        string conversationId,
        HttpContext http,
        IGrainFactory grains,
        int? limit = null
    )
    {
        if (!RequestValidator.IsId(conversationId))
        {
            return ConversationNotFound(conversationId);
        }
        if (new RequestValidator().Range(limit, "limit", 1, MaxHistory).ToProblem() is { } invalid)
        {
            return invalid;
        }
        var conversation = Conversation(http, grains, conversationId);
        var view = await conversation.GetAsync();
        if (NotAgentsToRead(Caller.Of(http), view) is { } forbidden)
        {
            return forbidden;
        }
        var past = await conversation.GetCustomerHistoryAsync(limit ?? DefaultHistory);
        return TypedResults.Ok(new CustomerHistoryResponse(view.Customer, view.Attributes, past));
    }

    public static async Task<
        Results<Created<ConversationNote>, BadRequestProblem, ForbiddenProblem, NotFoundProblem, TooLargeProblem>
    > AddNote(string conversationId, NoteRequest request, HttpContext http, IGrainFactory grains, IOptions<RoutingOptions> options)
    {
        var caller = Caller.Of(http);
        if (!RequestValidator.IsId(conversationId))
        {
            return ConversationNotFound(conversationId);
        }
        if (TooLong(request.Text, options.Value) is { } tooLarge)
        {
            return tooLarge;
        }
        if (new RequestValidator().Text(request.Text, "text", options.Value.MaxMessageLength).ToProblem() is { } invalid)
        {
            return invalid;
        }
        // An agent writes as itself, while it holds the conversation; a supervisor or admin under its own name.
        var agentId = caller.Role == StaffRoles.Agent ? caller.AgentId : null;
        var note = await Conversation(http, grains, conversationId).AddNoteAsync(agentId ?? caller.Client, agentId, request.Text!);
        return TypedResults.Created($"/api/conversations/{conversationId}", note);
    }

    public static Task<AgentAction> Accept(string conversationId, AgentActionRequest request, HttpContext http, IGrainFactory grains) =>
        AsAgent(
            http,
            request.AgentId,
            agentId => Run(conversationId, http, grains, new RequestValidator().Id(agentId, "agentId"), c => c.AcceptAsync(agentId))
        );

    public static Task<AgentAction> Decline(string conversationId, AgentActionRequest request, HttpContext http, IGrainFactory grains) =>
        AsAgent(
            http,
            request.AgentId,
            agentId => Run(conversationId, http, grains, new RequestValidator().Id(agentId, "agentId"), c => c.DeclineAsync(agentId))
        );

    public static async Task<
        Results<Created<TranscriptMessage>, BadRequestProblem, ForbiddenProblem, NotFoundProblem, TooLargeProblem>
    > AddMessage(string conversationId, MessageRequest request, HttpContext http, IGrainFactory grains, IOptions<RoutingOptions> options)
    {
        var caller = Caller.Of(http);
        if (!RequestValidator.IsId(conversationId) || !caller.Reaches(conversationId))
        {
            return ConversationNotFound(conversationId);
        }
        if (TooLong(request.Text, options.Value) is { } tooLarge)
        {
            return tooLarge;
        }
        var v = new RequestValidator()
            .Require(
                request.From is "customer" or "agent" or "supervisor",
                "from",
                "invalid-sender",
                "'from' must be 'customer', 'agent' or 'supervisor'."
            )
            .Text(request.Text, "text", options.Value.MaxMessageLength);
        string? agentId = null;
        if (request.From == "agent")
        {
            (agentId, var refusal) = Access.ActingAgent(caller, request.AgentId);
            switch (refusal)
            {
                case BadRequestProblem bad:
                    return bad;
                case ForbiddenProblem forbidden:
                    return forbidden;
            }
            v.Id(agentId, "agentId");
        }
        else if (request.From == "customer" && caller.Role is not (StaffRoles.Admin or StaffRoles.Customer))
        {
            return Problem.Forbidden("forbidden", "Only the customer (with its customer token) writes as the customer.", "from");
        }
        else if (request.From == "supervisor")
        {
            if (caller.Role is not (StaffRoles.Admin or StaffRoles.Supervisor))
            {
                return Problem.Forbidden("forbidden", "Only a supervisor who joined the conversation writes as a supervisor.", "from");
            }
            agentId = caller.Client; // a supervisor's messages carry their name (docs/supervision.md)
        }
        if (v.ToProblem() is { } invalid)
        {
            return invalid;
        }
        var message = await Conversation(http, grains, conversationId).AddMessageAsync(request.From!, agentId, request.Text!);
        return TypedResults.Created($"/api/conversations/{conversationId}", message);
    }

    public static Task<AgentAction> Complete(string conversationId, CompleteRequest request, HttpContext http, IGrainFactory grains) =>
        AsAgent(
            http,
            request.AgentId,
            agentId =>
                Run(
                    conversationId,
                    http,
                    grains,
                    new RequestValidator().Id(agentId, "agentId").Disposition(request.Disposition),
                    c => c.CompleteAsync(agentId, request.Disposition)
                )
        );

    public static Task<AgentAction> FinishWrapUp(
        string conversationId,
        AgentActionRequest request,
        HttpContext http,
        IGrainFactory grains
    ) =>
        AsAgent(
            http,
            request.AgentId,
            agentId => Run(conversationId, http, grains, new RequestValidator().Id(agentId, "agentId"), c => c.FinishWrapUpAsync(agentId))
        );

    public static Task<AgentAction> Transfer(string conversationId, TransferRequest request, HttpContext http, IGrainFactory grains) =>
        AsAgent(
            http,
            request.AgentId,
            agentId =>
            {
                var v = new RequestValidator()
                    .Id(agentId, "agentId")
                    .Require(
                        (request.ToQueueId is null) != (request.ToAgentId is null),
                        "toQueueId",
                        "transfer-target",
                        "Give exactly one of 'toQueueId' and 'toAgentId'."
                    );
                if (request.ToQueueId is not null)
                {
                    v.Id(request.ToQueueId, "toQueueId");
                }
                if (request.ToAgentId is not null)
                {
                    v.Id(request.ToAgentId, "toAgentId");
                }
                return Run(
                    conversationId,
                    http,
                    grains,
                    v,
                    c =>
                        request.ToQueueId is { } queueId
                            ? c.TransferToQueueAsync(agentId, queueId)
                            : c.TransferToAgentAsync(agentId, request.ToAgentId!)
                );
            }
        );

    public static async Task<Results<Ok<ConversationResponse>, NotFoundProblem>> Abandon(
        string conversationId,
        HttpContext http,
        IGrainFactory grains
    ) =>
        !RequestValidator.IsId(conversationId) || !Caller.Of(http).Reaches(conversationId)
            ? ConversationNotFound(conversationId)
            : TypedResults.Ok(ConversationResponse.From(await Conversation(http, grains, conversationId).AbandonAsync(), Caller.Of(http)));

    public static Task<Step> Move(string conversationId, MoveRequest request, HttpContext http, IGrainFactory grains) =>
        Run(
            conversationId,
            http,
            grains,
            new RequestValidator().Id(request.ToQueueId, "toQueueId"),
            c => c.MoveToQueueAsync(request.ToQueueId!)
        );

    /// <summary>The name a supervisor's notes and messages carry: the credential's subject (an account's user name).</summary>
    private static string SupervisorName(HttpContext http) => Caller.Of(http).Client;

    public static Task<Step> Monitor(string conversationId, HttpContext http, IGrainFactory grains) =>
        Run(conversationId, http, grains, null, c => c.MonitorAsync(SupervisorName(http), null, null));

    public static async Task<Results<Created<ConversationNote>, BadRequestProblem, NotFoundProblem, TooLargeProblem>> Whisper(
        string conversationId,
        NoteRequest request,
        HttpContext http,
        IGrainFactory grains,
        IOptions<RoutingOptions> options
    )
    {
        if (!RequestValidator.IsId(conversationId))
        {
            return ConversationNotFound(conversationId);
        }
        if (TooLong(request.Text, options.Value) is { } tooLarge)
        {
            return tooLarge;
        }
        if (new RequestValidator().Text(request.Text, "text", options.Value.MaxMessageLength).ToProblem() is { } invalid)
        {
            return invalid;
        }
        var note = await Conversation(http, grains, conversationId).WhisperAsync(SupervisorName(http), request.Text!);
        return TypedResults.Created($"/api/conversations/{conversationId}", note);
    }

    public static Task<Step> BargeIn(string conversationId, HttpContext http, IGrainFactory grains) =>
        Run(conversationId, http, grains, null, c => c.BargeInAsync(SupervisorName(http)));

    public static Task<Step> Escalate(string conversationId, HttpContext http, IGrainFactory grains) =>
        Run(conversationId, http, grains, new RequestValidator(), c => c.EscalateAsync());

    public static Task<Step> Resolve(string conversationId, ResolveRequest request, HttpContext http, IGrainFactory grains) =>
        Run(
            conversationId,
            http,
            grains,
            new RequestValidator().Id(request.ArticleId, "articleId"),
            c => c.ResolveAsync(request.ArticleId!)
        );

    public static async Task<Results<Ok<List<Suggestion>>, BadRequestProblem, NotFoundProblem>> Suggest(
        string conversationId,
        string? q,
        HttpContext http,
        IGrainFactory grains
    )
    {
        if (!RequestValidator.IsId(conversationId) || !Caller.Of(http).Reaches(conversationId))
        {
            return ConversationNotFound(conversationId);
        }
        if (new RequestValidator().Text(q, "q", Limits.SearchTextLength).ToProblem() is { } invalid)
        {
            return invalid;
        }
        return TypedResults.Ok((await Conversation(http, grains, conversationId).SuggestAsync(q!)).ToList());
    }

    public static Task<Step> Rate(
        string conversationId,
        RatingRequest request,
        HttpContext http,
        IGrainFactory grains,
        IOptions<RoutingOptions> options
    ) =>
        Run(
            conversationId,
            http,
            grains,
            new RequestValidator().Rating(request.Score).Text(request.Comment, "comment", options.Value.MaxMessageLength, required: false),
            c => c.RateAsync(request.Score!.Value, request.Comment)
        );

    /// <summary>Runs an agent's action as the agent the credential acts for (<see cref="Access.ActingAgent"/>).</summary>
    private static async Task<AgentAction> AsAgent(HttpContext http, string? named, Func<string, Task<Step>> action)
    {
        var (agentId, refusal) = Access.ActingAgent(Caller.Of(http), named);
        switch (refusal)
        {
            case BadRequestProblem bad:
                return bad;
            case ForbiddenProblem forbidden:
                return forbidden;
        }
        return (await action(agentId!)).Result switch
        {
            Ok<ConversationResponse> ok => ok,
            BadRequestProblem bad => bad,
            NotFoundProblem notFound => notFound,
            var other => throw new InvalidOperationException($"Unexpected result {other.GetType().Name}."),
        };
    }

    /// <summary>Validates, then calls the conversation; an unknown id answers 404 without touching anything.</summary>
    private static async Task<Step> Run(
        string conversationId,
        HttpContext http,
        IGrainFactory grains,
        RequestValidator? validator,
        Func<IConversationGrain, Task<ConversationView>> call
    )
    {
        if (!RequestValidator.IsId(conversationId) || !Caller.Of(http).Reaches(conversationId))
        {
            return ConversationNotFound(conversationId);
        }
        if (validator?.ToProblem() is { } invalid)
        {
            return invalid;
        }
        return TypedResults.Ok(ConversationResponse.From(await call(Conversation(http, grains, conversationId)), Caller.Of(http)));
    }

    private static IConversationGrain Conversation(HttpContext http, IGrainFactory grains, string id) =>
        grains.Grain<IConversationGrain>(Workspace.Key(http, id));

    /// <summary>Words longer than a message may be: 413, as the grain would answer, before anything is asked of it.</summary>
    private static TooLargeProblem? TooLong(string? text, RoutingOptions options) =>
        text is not null && text.Length > options.MaxMessageLength
            ? Problem.TooLarge("message-too-large", $"A message may hold at most {options.MaxMessageLength} characters.", "text")
            : null;

    internal static NotFoundProblem ConversationNotFound(string id) =>
        Problem.NotFound("conversation-not-found", $"No conversation '{id}' in this workspace.", "conversationId");
}
