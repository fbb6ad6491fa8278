using System.Globalization;
using Npgsql;
using Routing.Contracts;

namespace Routing.Ledger;

/// <summary>
/// The cluster ledger's write connection, driven by <see cref="GroupCommit"/> like the embedded one: a batch of
/// writes goes to the server as one <see cref="NpgsqlBatch"/> (one round trip) inside one transaction. A broken
/// connection fails its batch and is opened afresh for the next one. The quarter-hour report totals the batch adds
/// (<see cref="ReportRollup"/>) go in the same batch; what the rollup must read first it reads on the same
/// connection, in the same transaction, before the batch is sent. A fenced batch (<see cref="WriterFence"/>) ends
/// with the check that its silo is not declared dead, and its session is named after the silo, so the survivors can end
/// it once the silo is (<see cref="PostgresLedger.EndSessionsOfAsync"/>). Every batch leaves a <see cref="CommitMarks">mark</see>, so a
/// commit whose answer is lost with the connection is reported as <see cref="CommitOutcomeUnknownException"/>, with the
/// means to learn later whether it committed.
/// </summary>
internal sealed class PostgresWriter : ILedgerWriter, IRollupSource
{
    /// <summary>
    /// How long the server keeps a transaction of this writer's that waits for its next statement. A writer frozen
    /// between its batch and its commit (a stopped process) holds the locks of its rows and of its fence until the
    /// server ends its session: other silos' writes of those rows, and their declaring it dead, wait at most this long.
    /// </summary>
    private const string IdleInTransactionLimit = "SET idle_in_transaction_session_timeout = '5s'";

    private readonly NpgsqlDataSource _dataSource;
    private readonly Func<WriterFence?> _fence;
    private readonly ReportRollup _rollup;

    /// <summary>The batch's article saves, whose rows changed tell once it has run whether each was refused.</summary>
    private readonly List<(NpgsqlBatchCommand Command, ArticleWrite Write)> _articles = [];

    /// <summary>This writer's rows of the report totals (see <see cref="ReportQuarters"/>) and of the commit marks: never another
    /// silo's.</summary>
    private readonly int _shard = Random.Shared.Next(1, int.MaxValue);
    private long _batches;
    private long _lastMarked; // the last batch known committed, whose mark the next batch removes
    private (int Pid, DateTime Started) _session;
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;
    private NpgsqlBatch? _batch;
    private WriterFence? _namedFor; // the silo this session's name says it writes for

    public PostgresWriter(NpgsqlDataSource dataSource, Func<WriterFence?> fence)
    {
        _dataSource = dataSource;
        _fence = fence;
        _rollup = new ReportRollup(this);
    }

    public void Commit(IReadOnlyList<PendingWrite> batch)
    {
        var connection = Connection();
        try
        {
            using var transaction = connection.BeginTransaction();
            using var commands = new NpgsqlBatch(connection, transaction);
            (_transaction, _batch) = (transaction, commands);
            var number = ++_batches;
            Add(CommitMarks.Mark, _shard, number);
            if (_lastMarked > 0)
            {
                Add(CommitMarks.Unmark, _shard, _lastMarked);
            }
            var fence = _fence();
            if (fence is not null && fence != _namedFor)
            {
                Add(WriterFence.NameSession, fence.SessionName);
                _namedFor = fence;
            }
            foreach (var write in batch)
            {
                write.Apply(this);
            }
            foreach (var (key, totals) in _rollup.Pending)
            {
                Add(PostgresSchema.UpsertQuarter, ReportQuarters.Values(key, _shard, totals));
            }
            if (fence is not null)
            {
                // Last: the batch holds the lock on its silo's row only from here to its commit, a moment. Taken first, a
                // process frozen in the middle of sending its batch — its session neither idle nor done — would hold it
                // for as long as it stayed frozen, and the others could not declare it dead.
                Add(WriterFence.Check, fence.DeploymentId, fence.Address, fence.Port, fence.Generation);
            }
            commands.ExecuteNonQuery();
            foreach (var (command, write) in _articles)
            {
                if (command.RecordsAffected == 0)
                {
                    write.RefuseAsDuplicate();
                }
            }
            try
            {
                transaction.Commit();
            }
            catch (Exception lost) when (connection.FullState != System.Data.ConnectionState.Open)
            {
                // The COMMIT may have reached the server before the connection broke: its mark will say.
                var session = _session;
                throw new CommitOutcomeUnknownException(lost, cancellationToken => CommittedAsync(session, number, cancellationToken));
            }
            _lastMarked = number;
            _rollup.Stored();
        }
        catch
        {
            _rollup.Discard();
            _namedFor = null; // a name set in a failed transaction is undone
            if (connection.FullState != System.Data.ConnectionState.Open)
            {
                connection.Dispose();
                _connection = null;
            }
            throw;
        }
        finally
        {
            (_transaction, _batch) = (null, null);
            _articles.Clear();
        }
    }

    /// <summary>Whether a batch whose commit's answer was lost committed, asked on a connection of its own: throws while the server cannot
    /// tell.</summary>
    private async Task<bool> CommittedAsync((int Pid, DateTime Started) session, long number, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (
            var end = new NpgsqlCommand(CommitMarks.EndSession, connection)
            {
                Parameters =
                {
                    new() { Value = session.Pid },
                    new() { Value = session.Started },
                },
            }
        )
        {
            if (await end.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is false)
            {
                throw new InvalidOperationException($"The session of the lost commit (process {session.Pid}) has not ended yet.");
            }
        }
        await using var unmark = new NpgsqlCommand(CommitMarks.Unmark, connection)
        {
            Parameters =
            {
                new() { Value = _shard },
                new() { Value = number },
            },
        };
        return await unmark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public void UpsertQueue(QueueWrite write)
    {
        Add(PostgresSchema.UpsertQueue, write.Workspace, write.Queue.QueueId, write.Definition, write.Queue.UpdatedAt.UtcTicks);
        _rollup.Queue(write.Workspace, write.Queue);
    }

    public void UpsertAgent(AgentWrite write)
    {
        var agent = write.Agent;
        Add(
            PostgresSchema.UpsertAgent,
            write.Workspace,
            agent.AgentId,
            write.Definition,
            agent.Status.ToString(),
            agent.Reason,
            agent.StatusSince.UtcTicks,
            agent.IdleSince.UtcTicks,
            agent.MissedOffersInRow,
            agent.UpdatedAt.UtcTicks
        );
    }

    public void UpsertCredential(CredentialWrite write)
    {
        var credential = write.Credential;
        Add(
            PostgresSchema.UpsertCredential,
            write.Workspace,
            credential.Kind,
            credential.Id,
            credential.Data,
            credential.UpdatedAt.UtcTicks
        );
    }

    public void SaveArticle(ArticleWrite write)
    {
        var article = write.Article;
        var command = Add(PostgresSchema.SaveArticle, write.Workspace, article.ArticleId, article.Version, article.Deleted, write.Data);
        _articles.Add((command, write));
    }

    public void SaveReply(ReplyWrite write) =>
        Add(PostgresSchema.UpsertReply, write.Workspace, write.AgentId, write.Reply.ReplyId, write.Data);

    public void DeleteReply(ReplyDeletion write) => Add(PostgresSchema.DeleteReply, write.Workspace, write.AgentId, write.ReplyId);

    public void SaveConversation(ConversationWrite write)
    {
        var c = write.Change.Conversation;
        _rollup.Conversation(write.Workspace, write.Change);
        Add(
            PostgresSchema.UpsertConversation,
            write.Workspace,
            c.ConversationId,
            c.State.ToString(),
            c.Channel,
            c.QueueId,
            write.Customer,
            c.Priority,
            write.Skills,
            write.Attributes,
            c.AgentId,
            c.CreatedAt.UtcTicks,
            c.Arrival,
            write.ExcludedAgents,
            write.Offers,
            c.ConnectedAt?.UtcTicks,
            c.WrapUpEndsAt?.UtcTicks,
            c.EndedAt?.UtcTicks,
            c.Disposition,
            c.Rating,
            c.UpdatedAt.UtcTicks,
            c.RequestHash,
            c.WaitingSince?.UtcTicks,
            c.Customer.Id
        );
        foreach (var t in write.Change.NewTransitions)
        {
            Add(
                PostgresSchema.AppendTransition,
                write.Workspace,
                c.ConversationId,
                t.State.ToString(),
                t.At.UtcTicks,
                t.AgentId,
                t.QueueId,
                t.Reason
            );
        }
        foreach (var m in write.Change.NewMessages)
        {
            Add(
                PostgresSchema.AppendMessage,
                write.Workspace,
                c.ConversationId,
                m.Sequence,
                m.At.UtcTicks,
                m.From,
                LedgerRows.Reference(m),
                m.Text
            );
        }
        // A note is kept as -n beside the messages (LedgerRows.Entry, docs/supervision.md).
        foreach (var n in write.Change.NewNotes ?? [])
        {
            Add(PostgresSchema.AppendMessage, write.Workspace, c.ConversationId, -n.Sequence, n.At.UtcTicks, n.Kind, n.By, n.Text);
        }
    }

    ConversationTransition? IRollupSource.LastTransition(string workspace, string conversationId)
    {
        using var command = Read(PostgresSchema.SelectLastTransition, workspace, conversationId);
        using var row = command.ExecuteReader();
        return row.Read() ? LedgerRows.Transition(row) : null;
    }

    int? IRollupSource.StoredRating(string workspace, string conversationId)
    {
        using var command = Read(PostgresSchema.SelectRating, workspace, conversationId);
        return command.ExecuteScalar() is { } rating and not DBNull ? Convert.ToInt32(rating, CultureInfo.InvariantCulture) : null;
    }

    int? IRollupSource.TargetSeconds(string workspace, string queueId)
    {
        using var command = Read(PostgresSchema.SelectQueueDefinition, workspace, queueId);
        return command.ExecuteScalar() is string definition
            ? LedgerJson.Read<QueueDefinition>(definition).ServiceLevel.TargetSeconds
            : null;
    }

    /// <summary>A read inside the batch's transaction, sent now: it sees what is stored, not the unsent batch.</summary>
    private NpgsqlCommand Read(string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql, _connection, _transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return command;
    }

    public void Dispose()
    {
        _connection?.Dispose();
        _connection = null;
    }

    private NpgsqlConnection Connection()
    {
        if (_connection is null)
        {
            var connection = _dataSource.OpenConnection();
            try
            {
                using (var limit = new NpgsqlCommand(IdleInTransactionLimit, connection))
                {
                    limit.ExecuteNonQuery();
                }
                using var session = new NpgsqlCommand(CommitMarks.Session, connection);
                using var row = session.ExecuteReader();
                _session = row.Read()
                    ? (row.GetInt32(0), row.GetDateTime(1))
                    : throw new InvalidOperationException("The session's identity could not be read.");
            }
            catch
            {
                connection.Dispose();
                throw;
            }
            _connection = connection;
        }
        return _connection;
    }

    /// <summary>Adds a statement with positional parameters; a null goes as a typed NULL of the column's kind.</summary>
    private NpgsqlBatchCommand Add(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(
                value is null
                    ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Unknown }
                    : new NpgsqlParameter { Value = value }
            );
        }
        _batch!.BatchCommands.Add(command);
        return command;
    }
}
