using Routing.Contracts;

namespace Routing.Api.Problems;

/// <summary>An inclusive range a number must fall in.</summary>
public readonly record struct Bounds(double Min, double Max);

/// <summary>
/// Every limit a request is checked against, in one place: the validators (<see cref="RequestValidator"/>, the
/// endpoints) check values with these, and the OpenAPI document (<c>OpenApi/FieldLimits</c>) states the same numbers
/// and patterns, so the document cannot promise what the server refuses.
/// </summary>
public static class Limits
{
    /// <summary>The longest id of a queue, an agent, a conversation, a workspace, an account or a key.</summary>
    public const int IdLength = 64;

    private const string IdChars = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    private const string SkillChars = "[a-z0-9][a-z0-9._-]{0,63}";

    // \A and \z, not ^ and $: in .NET '$' also matches before a final '\n', which would let "abc\n" through.
    public const string IdRegex = @"\A" + IdChars + @"\z";
    public const string SkillRegex = @"\A" + SkillChars + @"\z";

    /// <summary>The same as <see cref="IdRegex"/> in JSON Schema's (ECMAScript) dialect, where '$' is the end.</summary>
    public const string IdPattern = "^" + IdChars + "$";
    public const string SkillPattern = "^" + SkillChars + "$";

    /// <summary>
    /// One line without control characters (<see cref="RequestValidator.HasControlCharacters"/>: Unicode's Cc, and the
    /// line and paragraph separators), in JSON Schema's dialect.
    /// </summary>
    public const string LinePattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$";

    /// <summary>The longest name of a queue, an agent or a chat visitor.</summary>
    public const int NameLength = 200;

    /// <summary>The longest reason an agent gives for its status.</summary>
    public const int ReasonLength = 100;

    /// <summary>The longest disposition a conversation is completed with.</summary>
    public const int DispositionLength = 64;

    /// <summary>The longest customer id (the caller's own, not one of ours).</summary>
    public const int CustomerIdLength = 128;

    /// <summary>The longest name of an API key.</summary>
    public const int ApiKeyNameLength = 100;

    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;

    /// <summary>A conversation's skill steps, attributes, and the length of an attribute's key and value.</summary>
    public const int MaxSkillSteps = 10;
    public const int MaxAttributes = StartConversation.MaxAttributes;
    public const int AttributeKeyLength = 64;
    public const int AttributeValueLength = 1024;

    /// <summary>The most queues one agent serves.</summary>
    public const int MaxQueuesPerAgent = 100;

    /// <summary>A report's <c>from</c> and <c>to</c>: an ISO-8601 time is far shorter.</summary>
    public const int TimeLength = 64;

    /// <summary>A report's interval: a number of minutes, hours or days (15m, 1h, 1d).</summary>
    public const string IntervalRegex = @"\A([0-9]{1,4})([mhd])\z";
    public const string IntervalPattern = "^[0-9]{1,4}[mhd]$";
    public const int IntervalLength = 5;

    /// <summary>An email address a visitor leaves to be answered at (RFC 5321's longest path).</summary>
    public const int EmailLength = 254;

    /// <summary>A queue's business hours: a time of day as HH:mm (24:00 for midnight at a span's end), a date as yyyy-MM-dd.</summary>
    public const int ClockTimeLength = 5;
    public const string ClockTimePattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$";
    public const int DateLength = 10;
    public const string DatePattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

    /// <summary>A knowledge article: its title and each question variant are one line; its answer is text.</summary>
    public const int ArticleTitleLength = 200;
    public const int ArticleQuestionLength = 200;
    public const int MaxArticleQuestions = 20;
    public const int ArticleAnswerLength = 4_000;
    public const int MaxArticleTags = 20;
    public const int ArticleTagLength = 40;

    /// <summary>The most disposition codes one queue lists.</summary>
    public const int MaxDispositionCodes = 50;

    /// <summary>An agent's saved reply: a title of one line, a text as long as an article's answer.</summary>
    public const int ReplyTitleLength = 100;
    public const int ReplyTextLength = ArticleAnswerLength;

    /// <summary>The longest question put to the knowledge base's search.</summary>
    public const int SearchTextLength = 500;

    /// <summary>The most articles one import may hold (its body is also held to the server's request size).</summary>
    public const int MaxImportArticles = 2_000;

    public static readonly Bounds SkillLevel = new(1, 5);
    public static readonly Bounds Rating = new(1, 5);
    public static readonly Bounds Priority = new(0, 100);
    public static readonly Bounds StepSeconds = new(1, 86_400);
    public static readonly Bounds ServiceLevelTargetSeconds = new(1, 3600);
    public static readonly Bounds ServiceLevelPercent = new(0, 100);
    public static readonly Bounds AgingPerSecond = new(0, 1000);
    public static readonly Bounds OfferTimeoutSeconds = new(1, 300);
    public static readonly Bounds QueueMaxLength = new(1, 1_000_000);
    public static readonly Bounds WrapUpSeconds = new(0, 3600);
    public static readonly Bounds OverflowAfterSeconds = new(0, 86_400);
    public static readonly Bounds MaxTotal = new(1, 1000);
    public static readonly Bounds Capacity = new(0, 100);
    public static readonly Bounds QueueRank = new(1, 100);
}
