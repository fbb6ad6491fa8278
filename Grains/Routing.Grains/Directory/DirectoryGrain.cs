using System.Text.Json;
using Orleans.Concurrency;
using Routing.Contracts;
using Routing.Contracts.Access;
using Routing.Grains.Access;
using Routing.Ledger;

namespace Routing.Grains.Directory;

/// <summary>Lists a workspace's queues and agents, and reports its history, from the ledger.</summary>
/// <remarks>[StatelessWorker] because it holds no state: each call only reads the ledger.</remarks>
[StatelessWorker]
public sealed class DirectoryGrain(ILedger ledger, RoutingClock clock) : Grain, IDirectoryGrain
{
    public async Task<IReadOnlyList<AccountView>> ListAccountsAsync() =>
        (await ledger.ListCredentialsAsync(this.GetPrimaryKeyString(), CredentialRecord.Account))
            .Select(c => (c.Id, Account: JsonSerializer.Deserialize<AccountState>(c.Data, AccessJson.Options)))
            .Where(c => c.Account is not null)
            .Select(c => c.Account!.View(c.Id, clock.UtcNow))
            .ToList();

    public async Task<IReadOnlyList<ApiKeyView>> ListApiKeysAsync() =>
        (await ledger.ListCredentialsAsync(this.GetPrimaryKeyString(), CredentialRecord.ApiKey))
            .Select(c => JsonSerializer.Deserialize<ApiKeyState>(c.Data, AccessJson.Options)!.View(c.Id))
            .ToList();

    public async Task<IReadOnlyList<QueueInfo>> ListQueuesAsync() =>
        (await ledger.ListQueuesAsync(this.GetPrimaryKeyString())).Select(q => q.Item).ToList();

    /// <summary>
    /// Every agent with what it holds as the ledger has it — its offers, and the conversations it is connected with or
    /// wrapping up — so a dashboard opened after they began shows each agent's load (its live changes follow as events).
    /// </summary>
    public async Task<IReadOnlyList<AgentView>> ListAgentsAsync()
    {
        var workspace = this.GetPrimaryKeyString();
        var held = (await ledger.ListActiveConversationsAsync(workspace))
            .Select(c => c.Item)
            .Where(c =>
                c.AgentId is not null && c.State is ConversationState.Offered or ConversationState.Connected or ConversationState.WrapUp
            )
            .ToLookup(c => c.AgentId!, StringComparer.Ordinal);
        return
        [
            .. (await ledger.ListAgentsAsync(workspace))
                .Select(a => a.Item)
                .Select(a => new AgentView(
                    a.AgentId,
                    a.Definition,
                    a.Status,
                    a.Reason,
                    a.StatusSince,
                    a.IdleSince,
                    a.MissedOffersInRow,
                    [
                        .. held[a.AgentId]
                            .Where(c => c.State != ConversationState.Offered)
                            .Select(c => new AgentAssignment(
                                c.ConversationId,
                                c.Channel,
                                c.QueueId,
                                c.State,
                                c.ConnectedAt ?? c.UpdatedAt
                            )),
                    ],
                    [
                        .. held[a.AgentId]
                            .Where(c => c.State == ConversationState.Offered && c.Offers.Count > 0)
                            .Select(c => new AgentOffer(
                                c.ConversationId,
                                c.Channel,
                                c.QueueId,
                                c.Offers[^1].OfferedAt,
                                c.Offers[^1].ExpiresAt ?? c.Offers[^1].OfferedAt
                            )),
                    ]
                )),
        ];
    }

    public Task<IReadOnlyList<IntervalRow>> ReportIntervalsAsync(IntervalQuery query) =>
        ledger.ReportIntervalsAsync(this.GetPrimaryKeyString(), query);

    public async Task<IReadOnlyList<KeywordRow>> KeywordsAsync(DateTimeOffset from, DateTimeOffset to, TimeSpan interval, int top) =>
        global::Routing.Knowledge.Keywords.Top(
            await ledger.ListFirstMessagesAsync(this.GetPrimaryKeyString(), from, to, IDirectoryGrain.KeywordMessages),
            from,
            to,
            interval,
            top
        );

    public Task<IReadOnlyList<DispositionCount>> DispositionsAsync(DateTimeOffset from, DateTimeOffset to, int limit) =>
        ledger.CountDispositionsAsync(this.GetPrimaryKeyString(), from, to, limit);

    public Task<IReadOnlyList<Contracts.Knowledge.UnansweredQuestion>> UnansweredAsync(DateTimeOffset from, DateTimeOffset to, int limit) =>
        ledger.ListUnansweredAsync(this.GetPrimaryKeyString(), from, to, limit);
}
