using Routing.Contracts;
using Routing.Contracts.Knowledge;
using Routing.Ledger;

namespace Routing.Grains.Agents;

/// <summary>
/// One agent's saved replies as their one writer (docs/self-service.md, "Saved replies"): being non-reentrant, it makes
/// one change at a time, each version numbered after the one the ledger holds, and writes it before answering; a
/// deletion removes the reply. It keeps nothing in memory: the desk reads the list once per session, and the ledger is
/// the truth.
/// </summary>
public sealed class SavedRepliesGrain(ILedger ledger, RoutingClock clock) : Grain, ISavedRepliesGrain
{
    private (string Workspace, string AgentId) Key => GrainKeys.Parse(this.GetPrimaryKeyString());

    public async Task<IReadOnlyList<SavedReply>> ListAsync() =>
        [.. (await AllAsync()).OrderBy(r => r.Title, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.ReplyId, StringComparer.Ordinal)];

    public async Task<ReplySaved> SaveAsync(SavedReplyDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var all = await AllAsync();
        var current = all.FirstOrDefault(r => r.ReplyId == draft.ReplyId);
        if (draft.ExpectedVersion is { } expected && expected != (current?.Version ?? 0))
        {
            throw RoutingException.Conflict(
                "version-conflict",
                current is null
                    ? $"Saved reply '{draft.ReplyId}' does not exist, so it is not at version {expected}; reload it and edit again."
                    : $"Saved reply '{draft.ReplyId}' is at version {current.Version}, not {expected}: it was changed elsewhere; "
                        + "reload it and edit again.",
                "version"
            );
        }
        if (current is not null && current.Title == draft.Title && current.Text == draft.Text)
        {
            return new ReplySaved(current, Created: false);
        }
        if (current is null && all.Count >= SavedReply.MaxPerAgent)
        {
            throw RoutingException.Conflict(
                "too-many-replies",
                $"An agent keeps at most {SavedReply.MaxPerAgent} saved replies; delete one to save another.",
                "replyId"
            );
        }
        var reply = new SavedReply(draft.ReplyId, draft.Title, draft.Text, (current?.Version ?? 0) + 1, clock.UtcNow);
        await ledger.SaveReplyAsync(Key.Workspace, Key.AgentId, reply);
        return new ReplySaved(reply, Created: current is null);
    }

    public async Task<bool> DeleteAsync(string replyId)
    {
        if (!(await AllAsync()).Any(r => r.ReplyId == replyId))
        {
            return false;
        }
        await ledger.DeleteReplyAsync(Key.Workspace, Key.AgentId, replyId);
        return true;
    }

    private Task<IReadOnlyList<SavedReply>> AllAsync() => ledger.ListRepliesAsync(Key.Workspace, Key.AgentId);
}
