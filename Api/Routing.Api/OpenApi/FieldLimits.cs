using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Routing.Api.Agents;
using Routing.Api.Auth;
using Routing.Api.Chat;
using Routing.Api.Conversations;
using Routing.Api.Knowledge;
using Routing.Api.Problems;
using Routing.Api.Queues;
using Routing.Contracts;
using Routing.Contracts.Access;
using Routing.Contracts.Knowledge;

namespace Routing.Api.OpenApi;

/// <summary>
/// The limits of every field of every request body, as the validators check them: each entry names the record and
/// the JSON property, and states the limit from <see cref="Limits"/> (or the configuration the validator reads, such
/// as the channels and the longest message) — the same constants the validators use. A request field missing here
/// shows in the OpenAPI lint (tests/openapi-lint) as a string, number or list without limits.
/// </summary>
internal static class FieldLimits
{
    private delegate void Limit(OpenApiSchema schema, RoutingOptions options);

    private static readonly string[] StaffRoleNames = [StaffRoles.Admin, StaffRoles.Supervisor, StaffRoles.Agent];

    private static readonly Dictionary<(Type Record, string Property), Limit> Table = new()
    {
        [(typeof(ConversationRequest), "channel")] = (s, o) => OneOf(s, o.Channels.Keys),
        [(typeof(ConversationRequest), "queueId")] = Id,
        [(typeof(ConversationRequest), "priority")] = Range(Limits.Priority),
        [(typeof(ConversationRequest), "skills")] = Items(Limits.MaxSkillSteps),
        [(typeof(ConversationRequest), "attributes")] = (s, _) =>
            Map(s, Limits.MaxAttributes, Text(Limits.AttributeKeyLength, 1), Text(Limits.AttributeValueLength, 0)),
        [(typeof(ConversationRequest), "message")] = (s, o) => Text(s, o.MaxMessageLength, 0),
        [(typeof(CustomerDto), "id")] = Line(Limits.CustomerIdLength, 1),
        [(typeof(CustomerDto), "name")] = Line(Limits.NameLength, 0),
        [(typeof(CustomerDto), "tier")] = (s, o) => OneOf(s, o.TierPriorities.Keys),
        [(typeof(SkillStepDto), "requirements")] = SkillLevels,
        [(typeof(SkillStepDto), "seconds")] = Range(Limits.StepSeconds),
        [(typeof(AgentActionRequest), "agentId")] = Id,
        [(typeof(MessageRequest), "from")] = (s, _) => OneOf(s, ["customer", "agent", "supervisor"]),
        [(typeof(MessageRequest), "agentId")] = Id,
        [(typeof(MessageRequest), "text")] = (s, o) => Text(s, o.MaxMessageLength, 1),
        [(typeof(NoteRequest), "text")] = (s, o) => Text(s, o.MaxMessageLength, 1),
        [(typeof(CompleteRequest), "agentId")] = Id,
        [(typeof(CompleteRequest), "disposition")] = Line(Limits.DispositionLength, 0),
        [(typeof(TransferRequest), "agentId")] = Id,
        [(typeof(TransferRequest), "toQueueId")] = Id,
        [(typeof(TransferRequest), "toAgentId")] = Id,
        [(typeof(RatingRequest), "score")] = Range(Limits.Rating),
        [(typeof(RatingRequest), "comment")] = (s, o) => Text(s, o.MaxMessageLength, 0),
        [(typeof(MoveRequest), "toQueueId")] = Id,
        [(typeof(QueueRequest), "name")] = Line(Limits.NameLength, 1),
        [(typeof(QueueRequest), "selection")] = (s, _) => OneOf(s, QueuesApi.Selections),
        [(typeof(QueueRequest), "agingPerSecond")] = Range(Limits.AgingPerSecond),
        [(typeof(QueueRequest), "wrapUpSeconds")] = (s, o) => Map(s, o.Channels.Count, Names(o.Channels.Keys), Range(Limits.WrapUpSeconds)),
        [(typeof(QueueRequest), "offerTimeoutSeconds")] = Range(Limits.OfferTimeoutSeconds),
        [(typeof(QueueRequest), "maxLength")] = Range(Limits.QueueMaxLength),
        [(typeof(QueueRequest), "selfService")] = (s, _) => OneOf(s, SelfServiceModes.All),
        [(typeof(QueueRequest), "dispositionCodes")] = Items(Limits.MaxDispositionCodes),
        [(typeof(HoursDto), "timeZone")] = Line(QueueHours.TimeZoneLength, 1),
        [(typeof(HoursDto), "weekly")] = Items(QueueHours.MaxSpans),
        [(typeof(HoursDto), "holidays")] = (s, _) => ItemsOf(s, QueueHours.MaxHolidays, Pattern(Limits.DateLength, Limits.DatePattern)),
        [(typeof(OpeningHoursDto), "days")] = (s, _) =>
        {
            s.MinItems = 1;
            ItemsOf(s, QueueHours.Days.Count, (each, _) => OneOf(each, QueueHours.Days));
        },
        [(typeof(OpeningHoursDto), "open")] = Pattern(Limits.ClockTimeLength, Limits.ClockTimePattern),
        [(typeof(OpeningHoursDto), "close")] = Pattern(Limits.ClockTimeLength, Limits.ClockTimePattern),
        [(typeof(FeedbackDto), "queueId")] = Id,
        [(typeof(FeedbackDto), "skills")] = SkillLevels,
        [(typeof(DispositionCodeDto), "code")] = Id,
        [(typeof(DispositionCodeDto), "name")] = Line(Limits.NameLength, 1),
        [(typeof(ResolveRequest), "articleId")] = Id,
        [(typeof(ServiceLevelDto), "targetSeconds")] = Range(Limits.ServiceLevelTargetSeconds),
        [(typeof(ServiceLevelDto), "percent")] = Range(Limits.ServiceLevelPercent),
        [(typeof(OverflowDto), "queueId")] = Id,
        [(typeof(OverflowDto), "afterSeconds")] = Range(Limits.OverflowAfterSeconds),
        [(typeof(AgentRequest), "name")] = Line(Limits.NameLength, 1),
        [(typeof(AgentRequest), "skills")] = SkillLevels,
        [(typeof(AgentRequest), "capacity")] = (s, o) => Map(s, o.Channels.Count, Names(o.Channels.Keys), Range(Limits.Capacity)),
        [(typeof(AgentRequest), "maxTotal")] = Range(Limits.MaxTotal),
        [(typeof(AgentRequest), "queues")] = Items(Limits.MaxQueuesPerAgent),
        [(typeof(QueueRankDto), "queueId")] = Id,
        [(typeof(QueueRankDto), "rank")] = Range(Limits.QueueRank),
        [(typeof(StatusRequest), "status")] = (s, _) => OneOf(s, Enum.GetNames<AgentStatus>()),
        [(typeof(StatusRequest), "reason")] = Line(Limits.ReasonLength, 0),
        [(typeof(AccountRequest), "role")] = (s, _) => OneOf(s, StaffRoleNames),
        [(typeof(AccountRequest), "agentId")] = Id,
        [(typeof(AccountRequest), "password")] = Text(Limits.MaxPasswordLength, Limits.MinPasswordLength),
        [(typeof(ApiKeyRequest), "name")] = Line(Limits.ApiKeyNameLength, 1),
        [(typeof(SignInRequest), "workspace")] = Id,
        [(typeof(SignInRequest), "userName")] = Id,
        [(typeof(SignInRequest), "password")] = Text(Limits.MaxPasswordLength, 1),
        [(typeof(DevSignInRequest), "role")] = (s, _) => OneOf(s, StaffRoleNames),
        [(typeof(DevSignInRequest), "agentId")] = Id,
        [(typeof(ChatStartRequest), "topicId")] = Id,
        [(typeof(ChatStartRequest), "name")] = Line(Limits.NameLength, 1),
        [(typeof(ChatStartRequest), "message")] = (s, o) => Text(s, o.MaxMessageLength, 0),
        [(typeof(LeaveMessageRequest), "topicId")] = Id,
        [(typeof(LeaveMessageRequest), "name")] = Line(Limits.NameLength, 1),
        [(typeof(LeaveMessageRequest), "email")] = Line(Limits.EmailLength, 0),
        [(typeof(LeaveMessageRequest), "message")] = (s, o) => Text(s, o.MaxMessageLength, 1),
        [(typeof(ArticleRequest), "title")] = Line(Limits.ArticleTitleLength, 1),
        [(typeof(ArticleRequest), "questions")] = (s, _) => ItemsOf(s, Limits.MaxArticleQuestions, Line(Limits.ArticleQuestionLength, 0)),
        [(typeof(ArticleRequest), "answer")] = Text(Limits.ArticleAnswerLength, 1),
        [(typeof(ArticleRequest), "topic")] = Id,
        [(typeof(ArticleRequest), "language")] = (s, _) => OneOf(s, KnowledgeArticle.Languages),
        [(typeof(ArticleRequest), "tags")] = (s, _) => ItemsOf(s, Limits.MaxArticleTags, Line(Limits.ArticleTagLength, 0)),
        [(typeof(ArticleRequest), "version")] = Range(new Bounds(0, long.MaxValue)),
        [(typeof(ReplyRequest), "title")] = Line(Limits.ReplyTitleLength, 1),
        [(typeof(ReplyRequest), "text")] = Text(Limits.ReplyTextLength, 1),
        [(typeof(ReplyRequest), "version")] = Range(new Bounds(0, long.MaxValue)),
    };

    /// <summary>
    /// The fields a request must carry, not null: the validators refuse the request without them (<c>required</c>,
    /// <c>invalid-id</c>, <c>unknown-…</c>). Every other field of a request may be left out, or sent as null, and then
    /// takes its default.
    /// </summary>
    private static readonly HashSet<(Type Record, string Property)> Required =
    [
        (typeof(ConversationRequest), "channel"),
        (typeof(ConversationRequest), "queueId"),
        (typeof(ConversationRequest), "customer"),
        (typeof(CustomerDto), "id"),
        (typeof(MessageRequest), "from"),
        (typeof(MessageRequest), "text"),
        (typeof(NoteRequest), "text"),
        (typeof(RatingRequest), "score"),
        (typeof(ResolveRequest), "articleId"),
        (typeof(MoveRequest), "toQueueId"),
        (typeof(QueueRequest), "name"),
        (typeof(DispositionCodeDto), "code"),
        (typeof(HoursDto), "timeZone"),
        (typeof(OpeningHoursDto), "days"),
        (typeof(OpeningHoursDto), "open"),
        (typeof(OpeningHoursDto), "close"),
        (typeof(DispositionCodeDto), "name"),
        (typeof(OverflowDto), "queueId"),
        (typeof(FeedbackDto), "queueId"),
        (typeof(OverflowDto), "afterSeconds"),
        (typeof(AgentRequest), "name"),
        (typeof(QueueRankDto), "queueId"),
        (typeof(StatusRequest), "status"),
        (typeof(AccountRequest), "role"),
        (typeof(ApiKeyRequest), "name"),
        (typeof(SignInRequest), "userName"),
        (typeof(SignInRequest), "password"),
        (typeof(DevSignInRequest), "role"),
        (typeof(ChatStartRequest), "topicId"),
        (typeof(ChatStartRequest), "name"),
        (typeof(LeaveMessageRequest), "topicId"),
        (typeof(LeaveMessageRequest), "name"),
        (typeof(LeaveMessageRequest), "message"),
        (typeof(ArticleRequest), "title"),
        (typeof(ArticleRequest), "answer"),
        (typeof(ArticleRequest), "language"),
        (typeof(ReplyRequest), "title"),
        (typeof(ReplyRequest), "text"),
    ];

    private static readonly HashSet<Type> Records = [.. Table.Keys.Select(k => k.Record)];

    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (Records.Contains(context.JsonTypeInfo.Type) && schema.Properties is { Count: > 0 })
        {
            // The generator takes every parameter of a record's constructor for required; a request's are not.
            schema.Required = new HashSet<string>(
                Required.Where(r => r.Record == context.JsonTypeInfo.Type).Select(r => r.Property),
                StringComparer.Ordinal
            );
        }
        if (context.JsonPropertyInfo is { DeclaringType: var record, Name: var property })
        {
            if (Table.TryGetValue((record, property), out var limit))
            {
                limit(schema, context.ApplicationServices.GetRequiredService<IOptions<RoutingOptions>>().Value);
            }
            if (Required.Contains((record, property)))
            {
                NotNull(schema);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// A required field of a record type (<c>customer</c>) is wrapped in <c>oneOf: [null, $ref]</c> only after the
    /// schema transformers ran: the document's own pass takes the null out.
    /// </summary>
    public static void RequiredRecords(OpenApiDocument document)
    {
        foreach (var (record, property) in Required)
        {
            if (
                document.Components?.Schemas?.TryGetValue(record.Name, out var schema) == true
                && schema.Properties?.TryGetValue(property, out var field) == true
                && field is OpenApiSchema value
            )
            {
                NotNull(value);
            }
        }
    }

    /// <summary>Takes null out of what the field may be.</summary>
    private static void NotNull(OpenApiSchema schema)
    {
        if (schema.Type is { } type)
        {
            schema.Type = type & ~JsonSchemaType.Null;
        }
        schema.Enum?.Remove(null!);
        if (schema.OneOf?.FirstOrDefault(s => s.Type == JsonSchemaType.Null) is { } nullable)
        {
            schema.OneOf.Remove(nullable);
        }
    }

    private static void Id(OpenApiSchema schema, RoutingOptions options) => Id(schema);

    /// <summary>An id: <see cref="RequestValidator.IsId"/>.</summary>
    public static void Id(OpenApiSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        schema.MinLength = 1;
        schema.MaxLength = Limits.IdLength;
        schema.Pattern = Limits.IdPattern;
    }

    /// <summary>Free text of <paramref name="min"/> to <paramref name="max"/> characters: <see cref="RequestValidator.Text"/>.</summary>
    public static void Text(OpenApiSchema schema, int max, int min)
    {
        schema.MinLength = min > 0 ? min : null;
        schema.MaxLength = max;
    }

    private static Limit Text(int max, int min) => (s, _) => Text(s, max, min);

    /// <summary>One line: <see cref="RequestValidator.Line"/>.</summary>
    private static Limit Line(int max, int min) =>
        (s, _) =>
        {
            Text(s, max, min);
            s.Pattern = Limits.LinePattern;
        };

    private static Limit Range(Bounds bounds) => (s, _) => Range(s, bounds);

    /// <summary>Text of the form <paramref name="pattern"/>, at most <paramref name="max"/> characters.</summary>
    private static Limit Pattern(int max, string pattern) =>
        (s, _) =>
        {
            Text(s, max, 1);
            s.Pattern = pattern;
        };

    public static void Range(OpenApiSchema schema, Bounds bounds)
    {
        schema.Minimum = bounds.Min.ToString(CultureInfo.InvariantCulture);
        schema.Maximum = bounds.Max.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>One of <paramref name="values"/> (or null, where the field may be left out).</summary>
    public static void OneOf(OpenApiSchema schema, IEnumerable<string> values)
    {
        schema.Enum = [.. values.Order(StringComparer.Ordinal).Select(v => (JsonNode)JsonValue.Create(v)!)];
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null))
        {
            schema.Enum.Add(null!);
        }
    }

    private static Limit Items(int max) => (s, _) => s.MaxItems = max;

    /// <summary>A list of at most <paramref name="max"/> items, each limited as given.</summary>
    private static void ItemsOf(OpenApiSchema schema, int max, Limit item)
    {
        schema.MaxItems = max;
        if (schema.Items is OpenApiSchema each)
        {
            item(each, null!);
        }
    }

    /// <summary>A map of at most <paramref name="max"/> entries, its keys and values limited as given.</summary>
    private static void Map(OpenApiSchema schema, int max, Limit keys, Limit values)
    {
        schema.MaxProperties = max;
        var names = new OpenApiSchema { Type = JsonSchemaType.String };
        keys(names, null!);
        schema.PropertyNames = names;
        if (schema.AdditionalProperties is OpenApiSchema value)
        {
            values(value, null!);
        }
    }

    private static Limit Names(IEnumerable<string> names) => (s, _) => OneOf(s, names);

    /// <summary>Skill name → level: <see cref="RequestValidator.Skills"/>.</summary>
    private static void SkillLevels(OpenApiSchema schema, RoutingOptions options)
    {
        schema.PropertyNames = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            MinLength = 1,
            MaxLength = Limits.IdLength,
            Pattern = Limits.SkillPattern,
        };
        if (schema.AdditionalProperties is OpenApiSchema level)
        {
            Range(level, Limits.SkillLevel);
        }
    }
}
