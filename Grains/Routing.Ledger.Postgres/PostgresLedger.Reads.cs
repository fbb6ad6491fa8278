using Npgsql;
using Routing.Contracts;
using Routing.Contracts.Knowledge;

namespace Routing.Ledger;

public sealed partial class PostgresLedger
{
    public async Task<QueueInfo?> GetQueueAsync(string workspace, string queueId, CancellationToken cancellationToken = default) =>
        (await ListAsync(PostgresSchema.SelectQueue, LedgerRows.Queue, cancellationToken, workspace, queueId).ConfigureAwait(false))
            .FirstOrDefault()
            ?.Item;

    public Task<IReadOnlyList<WorkspaceItem<QueueInfo>>> ListQueuesAsync(
        string? workspace,
        CancellationToken cancellationToken = default
    ) =>
        workspace is null
            ? ListAsync(PostgresSchema.SelectQueues, LedgerRows.Queue, cancellationToken)
            : ListAsync(PostgresSchema.SelectWorkspaceQueues, LedgerRows.Queue, cancellationToken, workspace);

    public async Task<AgentRecord?> GetAgentAsync(string workspace, string agentId, CancellationToken cancellationToken = default) =>
        (await ListAsync(PostgresSchema.SelectAgent, LedgerRows.Agent, cancellationToken, workspace, agentId).ConfigureAwait(false))
            .FirstOrDefault()
            ?.Item;

    public Task<IReadOnlyList<WorkspaceItem<AgentRecord>>> ListAgentsAsync(
        string? workspace,
        CancellationToken cancellationToken = default
    ) =>
        workspace is null
            ? ListAsync(PostgresSchema.SelectAgents, LedgerRows.Agent, cancellationToken)
            : ListAsync(PostgresSchema.SelectWorkspaceAgents, LedgerRows.Agent, cancellationToken, workspace);

    public async Task<CredentialRecord?> GetCredentialAsync(
        string workspace,
        string kind,
        string id,
        CancellationToken cancellationToken = default
    ) =>
        (
            await ListAsync(PostgresSchema.SelectCredential, LedgerRows.Credential, cancellationToken, workspace, kind, id)
                .ConfigureAwait(false)
        ).FirstOrDefault();

    public Task<IReadOnlyList<CredentialRecord>> ListCredentialsAsync(
        string workspace,
        string kind,
        CancellationToken cancellationToken = default
    ) => ListAsync(PostgresSchema.SelectCredentials, LedgerRows.Credential, cancellationToken, workspace, kind);

    public async Task<ConversationRecord?> GetConversationAsync(
        string workspace,
        string conversationId,
        CancellationToken cancellationToken = default
    )
    {
        ThrowIfUnavailable();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One snapshot: the row, its timeline and its transcript as of the same commit.
        await using var snapshot = await connection
            .BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken)
            .ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, snapshot)
        {
            BatchCommands =
            {
                Command(PostgresSchema.SelectConversation, workspace, conversationId),
                Command(PostgresSchema.SelectTimeline, workspace, conversationId),
                Command(PostgresSchema.SelectTranscript, workspace, conversationId),
            },
        };
        await using var row = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        var timeline = new List<ConversationTransition>();
        var transcript = new List<TranscriptMessage>();
        var notes = new List<ConversationNote>();
        var conversation = LedgerRows.Conversation(row, timeline, transcript, notes).Item;
        await row.NextResultAsync(cancellationToken).ConfigureAwait(false);
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            timeline.Add(LedgerRows.Transition(row));
        }
        await row.NextResultAsync(cancellationToken).ConfigureAwait(false);
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            LedgerRows.Entry(row, transcript, notes);
        }
        return conversation;
    }

    public async Task<IReadOnlyList<ConversationRecord>> ListTimelinesAsync(string workspace, CancellationToken cancellationToken = default)
    {
        ThrowIfUnavailable();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var snapshot = await connection
            .BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken)
            .ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, snapshot)
        {
            BatchCommands =
            {
                Command(PostgresSchema.SelectWorkspaceConversations, workspace),
                Command(PostgresSchema.SelectWorkspaceTimelines, workspace),
            },
        };
        await using var row = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var conversations = new List<ConversationRecord>();
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            conversations.Add(LedgerRows.Conversation(row, [], []).Item);
        }
        await row.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var steps = new List<(string, ConversationTransition)>();
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            steps.Add((row.GetString(0), LedgerRows.Transition(row, first: 1)));
        }
        return LedgerRows.WithTimelines(conversations, steps);
    }

    public Task<IReadOnlyList<WorkspaceItem<ConversationRecord>>> ListActiveConversationsAsync(
        string? workspace,
        CancellationToken cancellationToken = default
    ) =>
        workspace is null
            ? ListAsync(PostgresSchema.SelectActiveConversations, row => LedgerRows.Conversation(row, [], []), cancellationToken)
            : ListAsync(
                PostgresSchema.SelectWorkspaceActiveConversations,
                row => LedgerRows.Conversation(row, [], []),
                cancellationToken,
                workspace
            );

    public async Task<IReadOnlyList<ConversationRecord>> ListAgentConversationsAsync(
        string workspace,
        string agentId,
        CancellationToken cancellationToken = default
    ) =>
        (
            await ListAsync(
                    PostgresSchema.SelectAgentConversations,
                    row => LedgerRows.Conversation(row, [], []),
                    cancellationToken,
                    workspace,
                    agentId
                )
                .ConfigureAwait(false)
        )
            .Select(c => c.Item)
            .ToList();

    public async Task<IReadOnlyList<IntervalRow>> ReportIntervalsAsync(
        string workspace,
        IntervalQuery query,
        CancellationToken cancellationToken = default
    )
    {
        // The report reads synchronously (one SQL for both ledgers): off the caller's thread, which in a silo is a grain scheduler's.
        return await Task.Run(() => ReportQuarters.Read(_dataSource.OpenConnection, workspace, query, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }

    public Task<IReadOnlyList<UnansweredQuestion>> ListUnansweredAsync(
        string workspace,
        DateTimeOffset from,
        DateTimeOffset to,
        int limit,
        CancellationToken cancellationToken = default
    ) => Period(LedgerColumns.Unanswered, LedgerRows.Unanswered, workspace, from, to, limit, cancellationToken);

    public Task<IReadOnlyList<DispositionCount>> CountDispositionsAsync(
        string workspace,
        DateTimeOffset from,
        DateTimeOffset to,
        int limit,
        CancellationToken cancellationToken = default
    ) => Period(LedgerColumns.Dispositions, LedgerRows.Disposition, workspace, from, to, limit, cancellationToken);

    public Task<IReadOnlyList<FirstMessage>> ListFirstMessagesAsync(
        string workspace,
        DateTimeOffset from,
        DateTimeOffset to,
        int limit,
        CancellationToken cancellationToken = default
    ) => Period(LedgerColumns.FirstMessages, LedgerRows.First, workspace, from, to, limit, cancellationToken);

    /// <summary>A read of a workspace's rows in a period, at most <paramref name="limit"/> (parameters $1…$4).</summary>
    public Task<IReadOnlyList<PastConversation>> ListCustomerConversationsAsync(
        string workspace,
        string customerId,
        int limit,
        CancellationToken cancellationToken = default
    ) => ListAsync(LedgerColumns.CustomerHistory(i => $"${i + 1}"), LedgerRows.Past, cancellationToken, workspace, customerId, (long)limit);

    private Task<IReadOnlyList<T>> Period<T>(
        Func<Func<int, string>, string> sql,
        Func<NpgsqlDataReader, T> map,
        string workspace,
        DateTimeOffset from,
        DateTimeOffset to,
        int limit,
        CancellationToken cancellationToken
    ) => ListAsync(sql(i => $"${i + 1}"), map, cancellationToken, workspace, from.UtcTicks, to.UtcTicks, (long)limit);

    private async Task<IReadOnlyList<T>> ListAsync<T>(
        string sql,
        Func<NpgsqlDataReader, T> map,
        CancellationToken cancellationToken,
        params object[] values
    )
    {
        ThrowIfUnavailable();
        await using var command = _dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        await using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var items = new List<T>();
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(map(row));
        }
        return items;
    }

    private static NpgsqlBatchCommand Command(string sql, params string[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return command;
    }
}
