using Routing.Contracts;
using Routing.Contracts.Knowledge;
using static Routing.Tests.Ledger.LedgerSamples;

namespace Routing.Tests.Ledger;

// The agents' saved replies (docs/self-service.md, "Saved replies"): each reply's current version, per agent.
public abstract partial class LedgerContract
{
    private static SavedReply Reply(string id, long version = 1, string title = "Thanks") =>
        new(id, title, "Thank you for waiting, {customer.name}.", version, T0.AddMinutes(version));

    [Fact]
    public async Task AnAgentsRepliesAreItsCurrentVersionsByIdAndADeletionRemovesOne()
    {
        var ledger = await OpenAsync();
        await ledger.SaveReplyAsync(Acme, "ann", Reply("b"));
        await ledger.SaveReplyAsync(Acme, "ann", Reply("a"));
        await ledger.SaveReplyAsync(Acme, "ann", Reply("a", 2, title: "Thanks again"));
        await ledger.DeleteReplyAsync(Acme, "ann", "b");
        await ledger.DeleteReplyAsync(Acme, "ann", "never-saved"); // nothing to remove: no error

        Structural.Equal<IReadOnlyList<SavedReply>>([Reply("a", 2, title: "Thanks again")], await ledger.ListRepliesAsync(Acme, "ann"));
    }

    [Fact]
    public async Task AnotherAgentsOrWorkspacesRepliesNeverAppearAndChineseRoundTrips()
    {
        var ledger = await OpenAsync();
        var chinese = new SavedReply("zh", "稍等", "您好 {customer.name}，请稍等，我马上为您查询。", 1, T0);
        await ledger.SaveReplyAsync(Acme, "ann", chinese);
        await ledger.SaveReplyAsync(Acme, "bob", Reply("bob-only"));
        await ledger.SaveReplyAsync(Globex, "ann", Reply("globex-only"));

        Structural.Equal<IReadOnlyList<SavedReply>>([chinese], await ledger.ListRepliesAsync(Acme, "ann"));
        Assert.Equal(["bob-only"], (await ledger.ListRepliesAsync(Acme, "bob")).Select(r => r.ReplyId));
        Assert.Empty(await ledger.ListRepliesAsync(Globex, "bob"));
    }

    [Fact]
    public async Task AReplyMissingARequiredValueIsRefusedBeforeItIsQueued()
    {
        var ledger = await OpenAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => ledger.SaveReplyAsync(Acme, "ann", Reply("a") with { Text = null! }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => ledger.SaveReplyAsync(Acme, "ann", Reply("a", version: 0)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => ledger.SaveReplyAsync(Acme, "", Reply("a")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => ledger.DeleteReplyAsync(Acme, "ann", ""));

        Assert.Empty(await ledger.ListRepliesAsync(Acme, "ann"));
    }

    [Fact]
    public async Task ALedgerFromBeforeVersion6GainsTheRepliesAndListsTheSelfServiceStepAsActive()
    {
        var ledger = await OpenAsync();
        var inStep = Conversation("in-step", ConversationState.SelfService);
        await ledger.SaveConversationAsync(Acme, Change(inStep, [Transition(ConversationState.SelfService, 0)], []));
        await CloseAsync(ledger);
        await ExecuteSqlAsync("DROP TABLE saved_replies");
        await ExecuteSqlAsync("DROP INDEX ix_conversations_active");
        await ExecuteSqlAsync(
            "CREATE INDEX ix_conversations_active ON conversations (workspace, created_at, arrival) "
                + "WHERE state IN ('Queued', 'Offered', 'Connected', 'WrapUp')"
        );
        await ExecuteSqlAsync("DELETE FROM schema_version WHERE version = 6");

        ledger = await OpenAsync();

        Assert.Contains("SelfService", await IndexDefinitionAsync("ix_conversations_active"), StringComparison.Ordinal);
        Assert.Equal(["in-step"], (await ledger.ListActiveConversationsAsync(Acme)).Select(c => c.Item.ConversationId));
        await ledger.SaveReplyAsync(Acme, "ann", Reply("a"));
        await CloseAsync(ledger);

        ledger = await OpenAsync();

        Structural.Equal<IReadOnlyList<SavedReply>>([Reply("a")], await ledger.ListRepliesAsync(Acme, "ann"));
    }
}
