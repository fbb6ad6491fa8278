namespace Routing.Contracts;

/// <summary>
/// The lists of one workspace, keyed by the workspace name: every queue and every agent as last recorded.
/// A stateless worker reading the ledger, so listing never goes through (or holds up) the routing grains.
/// </summary>
[Alias("routing.IDirectoryGrain")]
public interface IDirectoryGrain : IGrainWithStringKey
{
    [Alias("ListQueues")]
    Task<IReadOnlyList<QueueInfo>> ListQueuesAsync();

    /// <summary>Every agent's definition and recorded status; live offers and assignments come from the agent itself.</summary>
    [Alias("ListAgents")]
    Task<IReadOnlyList<AgentView>> ListAgentsAsync();

    /// <summary>The workspace's built-in accounts, by user name (never their password hashes).</summary>
    [Alias("ListAccounts")]
    Task<IReadOnlyList<Access.AccountView>> ListAccountsAsync();

    /// <summary>The workspace's API keys, revoked ones included, by id (never their secrets).</summary>
    [Alias("ListApiKeys")]
    Task<IReadOnlyList<Access.ApiKeyView>> ListApiKeysAsync();

    /// <summary>The most conversations one keyword report reads.</summary>
    public const int KeywordMessages = 100_000;

    /// <summary>The workspace's interval report, from the ledger.</summary>
    [Alias("ReportIntervals")]
    Task<IReadOnlyList<IntervalRow>> ReportIntervalsAsync(IntervalQuery query);

    /// <summary>
    /// The <paramref name="top"/> terms of customers' first messages per interval, for the conversations created in
    /// [<paramref name="from"/>, <paramref name="to"/>) — at most the first <see cref="KeywordMessages"/> of them.
    /// </summary>
    [Alias("Keywords")]
    Task<IReadOnlyList<KeywordRow>> KeywordsAsync(DateTimeOffset from, DateTimeOffset to, TimeSpan interval, int top);

    /// <summary>The completions of the conversations created in [<paramref name="from"/>, <paramref name="to"/>), by queue and
    /// disposition, at most <paramref name="limit"/> counts.</summary>
    [Alias("Dispositions")]
    Task<IReadOnlyList<DispositionCount>> DispositionsAsync(DateTimeOffset from, DateTimeOffset to, int limit);

    /// <summary>The questions the self-service step could not answer in [<paramref name="from"/>, <paramref name="to"/>), oldest
    /// first, at most <paramref name="limit"/>.</summary>
    [Alias("Unanswered")]
    Task<IReadOnlyList<Knowledge.UnansweredQuestion>> UnansweredAsync(DateTimeOffset from, DateTimeOffset to, int limit);
}
