using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Routing.Contracts;
using Routing.Contracts.Knowledge;

namespace Routing.Grains.Conversations;

/// <summary>
/// What the self-service step does with a customer's message (docs/self-service.md): a customer asking for a person
/// ("人工", "agent", "talk to a person"…) is escalated at once; a question the knowledge base answers well gets its best
/// answer (<c>bot-first</c>) or its best few (<c>suggest</c>); a question it cannot answer is escalated, and counted as
/// one the knowledge team should look at. Pure: the grain searches, this decides.
/// </summary>
public static partial class SelfServiceStep
{
    /// <summary>The escalation's reason when the customer asked for a person (a button, or typed).</summary>
    public const string AskedForPerson = "asked-for-agent";

    /// <summary>The escalation's reason when the knowledge base had no good answer to the customer's question.</summary>
    public const string NoAnswer = "no-answer";

    /// <summary>The escalation's reason when the knowledge base could not be searched: a person answers instead.</summary>
    public const string Unavailable = "self-service-unavailable";

    /// <summary>The reason of an abandon from the step: the customer left it, no queue's line.</summary>
    public const string LeftStep = "left-self-service";

    /// <summary>
    /// The reason of an abandon from the step for want of activity: neither the customer nor the assistant wrote for
    /// <c>Routing:SelfServiceIdleSeconds</c> (the widget was closed, most often).
    /// </summary>
    public const string Idle = "self-service-idle";

    /// <summary>The code of a queue's refusal when its line holds its maximum: an escalation then stays in the step.</summary>
    public const string LineFull = "queue-full";

    /// <summary>
    /// What the assistant says when an escalation finds the line full (the customer asked for a person, or the assistant had
    /// no answer): in Chinese when the customer wrote Chinese, in English otherwise. The widget says the same in its own
    /// words when its "Talk to a person" is refused (<c>chat.self.full</c>).
    /// </summary>
    public static string LineFullText(string customerText) =>
        HasChinese(customerText)
            ? "人工客服正忙，排队人数已满，暂时无法为您转接人工。请过几分钟再试，您也可以继续向我提问。"
            : "All our agents are busy and the line is full right now, so I could not pass you to a person. Please try again in a "
                + "few minutes, or keep asking me.";

    private static bool HasChinese(string text) => text.Any(c => c is >= '\u4e00' and <= '\u9fff');

    /// <summary>Whether an abandon with <paramref name="reason"/> ended the step rather than a wait for a person.</summary>
    public static bool IsLeaving(string? reason) => reason is LeftStep or Idle;

    /// <summary>Whether a transition to Queued with <paramref name="reason"/> is an escalation from the step.</summary>
    public static bool IsEscalation([NotNullWhen(true)] string? reason) => reason is AskedForPerson or NoAnswer or Unavailable;

    /// <summary>How many answers <c>suggest</c> shows for one question.</summary>
    public const int SuggestionCount = 3;

    private static readonly HashSet<string> PersonWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "agent",
        "human",
        "person",
        "operator",
        "representative",
        "a person",
        "an agent",
        "a human",
        "real person",
        "人工",
        "转人工",
        "人工客服",
        "真人",
        "客服",
        "找客服",
    };

    /// <summary>What to do with a customer's message.</summary>
    public abstract record Decision;

    /// <summary>Escalate to the queue's line, for <paramref name="Reason"/>.</summary>
    public sealed record Escalate(string Reason) : Decision;

    /// <summary>Answer with these articles, best first.</summary>
    public sealed record Answer(IReadOnlyList<KnowledgeArticle> Articles) : Decision;

    /// <summary>
    /// Decides, for a queue in <paramref name="mode"/>, what a customer's <paramref name="text"/> calls for, given what the
    /// search found.
    /// </summary>
    public static Decision Decide(string mode, string text, IReadOnlyList<KnowledgeHit> hits)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(hits);
        if (AsksForPerson(text))
        {
            return new Escalate(AskedForPerson);
        }
        var good = hits.Where(h => h.GoodMatch).Select(h => h.Article).ToList();
        if (good.Count == 0)
        {
            return new Escalate(NoAnswer);
        }
        return new Answer(mode == SelfServiceModes.BotFirst ? good.Take(1).ToList() : good.Take(SuggestionCount).ToList());
    }

    /// <summary>
    /// Whether the message asks for a person rather than an answer: one of the words for it alone (punctuation and case
    /// aside), or a sentence such as "talk to an agent" / "我要人工".
    /// </summary>
    public static bool AsksForPerson(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bare = Punctuation().Replace(text, " ").Trim();
        bare = Spaces().Replace(Politeness().Replace(Spaces().Replace(bare, " "), " "), " ").Trim();
        return PersonWords.Contains(bare)
            || PersonSentence().IsMatch(bare)
            || bare.Contains("转人工", StringComparison.Ordinal)
            || (
                bare.Length <= 8 && bare.Contains("人工", StringComparison.Ordinal) && !bare.Contains("人工智能", StringComparison.Ordinal)
            );
    }

    /// <summary>A bot's message giving <paramref name="article"/>: its title on the first line, then its answer.</summary>
    public static string MessageText(KnowledgeArticle article)
    {
        ArgumentNullException.ThrowIfNull(article);
        return $"{article.Title}\n{article.Answer}";
    }

    [GeneratedRegex(@"[\p{P}\p{S}]+")]
    private static partial Regex Punctuation();

    [GeneratedRegex(@"\b(please|pls|plz|i want|i need|i would like|i'd like|can i have|give me|now)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Politeness();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(
        @"\b(talk|speak|chat|connect|transfer)( me)? (to|with) (an? |the |real |live )?"
            + @"(agent|human|person|someone|representative|operator)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant
    )]
    private static partial Regex PersonSentence();
}
