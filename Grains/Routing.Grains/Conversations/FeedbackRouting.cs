using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Routing.Contracts;
using Routing.Ledger;

namespace Routing.Grains.Conversations;

/// <summary>
/// Feedback routed back (docs/conversations.md, "Feedback routed back"), as pure functions: the customer's comment with a
/// rating kept as a note, and the follow-up a low rating opens where the rated conversation's queue says — an
/// <c>email</c> conversation for the same customer, linked to the rated one by its <c>followUpOf</c> attribute (and the
/// rated one to it by a note), with the comment as its first words.
/// </summary>
public static class FeedbackRouting
{
    /// <summary>The attributes a follow-up adds to the rated conversation's: what links it, and what it follows up.</summary>
    public static readonly IReadOnlyList<string> LinkAttributes = ["followUpOf", "rating", "ratedQueue"];

    /// <summary>The follow-up's id: one per rated conversation, the same on every try, so a retry cannot open a second.</summary>
    public static string FollowUpId(string conversationId) =>
        "fu" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(conversationId)))[..30].ToLowerInvariant();

    /// <summary>The comment, checked before anything of the rating is written: at most as long as a message.</summary>
    public static string? Comment(string? comment, RoutingOptions options)
    {
        ConversationLifecycle.RequireMessageLength(comment, options, "comment");
        return string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
    }

    /// <summary>The comment as a note of the rated conversation; none when its notes are full.</summary>
    public static ConversationNote? Note(
        IReadOnlyList<ConversationNote> notes,
        string kind,
        string by,
        string text,
        RoutingOptions options,
        DateTimeOffset now
    )
    {
        ArgumentNullException.ThrowIfNull(notes);
        ArgumentNullException.ThrowIfNull(options);
        return notes.Count >= options.MaxTranscriptMessages ? null : new ConversationNote(notes.Count + 1, now, kind, by, text);
    }

    /// <summary>The follow-up a rating of <paramref name="score"/> opens by <paramref name="rule"/>; none above the rule's mark or
    /// without one.</summary>
    public static StartConversation? FollowUp(
        ConversationRecord record,
        int score,
        string? comment,
        FeedbackRule? rule,
        RoutingOptions options
    )
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(options);
        if (rule is null || score > FeedbackRule.MaxRating)
        {
            return null;
        }
        var attributes = record
            .Attributes.Where(a => !LinkAttributes.Contains(a.Key))
            .Take(StartConversation.MaxAttributes - LinkAttributes.Count)
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        attributes["followUpOf"] = record.ConversationId;
        attributes["rating"] = score.ToString(CultureInfo.InvariantCulture);
        attributes["ratedQueue"] = record.QueueId;
        return new StartConversation(
            "email",
            rule.QueueId,
            record.Customer,
            options.PriorityOf(record.Customer.Tier) ?? 0,
            rule.Skills.Count > 0 ? [new SkillRequirementStep(rule.Skills, null)] : [],
            attributes,
            comment
        );
    }
}
