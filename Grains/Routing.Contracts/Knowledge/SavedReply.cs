namespace Routing.Contracts.Knowledge;

/// <summary>
/// One of an agent's own saved replies (docs/self-service.md, "Saved replies"): a text the agent wrote once and inserts
/// at the desk again, beside the knowledge base's answers, with the same fields filled in (<c>{customer.name}</c>…).
/// Private to the agent; an admin or a supervisor may manage them for the agent.
/// </summary>
/// <param name="ReplyId">Its id among the agent's replies (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>).</param>
/// <param name="Title">What the agent finds it by: a short line.</param>
/// <param name="Text">What goes into the reply box.</param>
/// <param name="Version">1 when made, one more for each change; a deleted reply is gone, and its id may be used again.</param>
/// <param name="UpdatedAt">When this version was made.</param>
[GenerateSerializer, Immutable, Alias("routing.SavedReply")]
public sealed record SavedReply(string ReplyId, string Title, string Text, long Version, DateTimeOffset UpdatedAt)
{
    /// <summary>How many replies one agent may keep.</summary>
    public const int MaxPerAgent = 200;
}

/// <summary>What a save asks for: the reply's new title and text, and the version the editor started from, if it says.</summary>
[GenerateSerializer, Immutable, Alias("routing.SavedReplyDraft")]
public sealed record SavedReplyDraft(string ReplyId, string Title, string Text, long? ExpectedVersion = null);

/// <summary>A save's outcome: the reply as it now stands, and whether this save made it (201 rather than 200).</summary>
[GenerateSerializer, Immutable, Alias("routing.ReplySaved")]
public sealed record ReplySaved(SavedReply Reply, bool Created);

/// <summary>
/// One agent's saved replies, their one writer (keyed <c>workspace/agentId</c>, as the agent): a change is written to the
/// ledger before it is answered, one at a time, so an edit that started from an older version is told it did.
/// </summary>
public interface ISavedRepliesGrain : IGrainWithStringKey
{
    /// <summary>The agent's replies, by title.</summary>
    Task<IReadOnlyList<SavedReply>> ListAsync();

    /// <summary>
    /// Creates the reply or makes a new version of it. Refused with 409 <c>version-conflict</c> when the draft names a
    /// version that is not the current one, and with 409 <c>too-many-replies</c> past <see cref="SavedReply.MaxPerAgent"/>.
    /// </summary>
    Task<ReplySaved> SaveAsync(SavedReplyDraft draft);

    /// <summary>Deletes the reply; false when there was none.</summary>
    Task<bool> DeleteAsync(string replyId);
}
