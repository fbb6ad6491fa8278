using System.Globalization;
using Npgsql;
using Routing.Contracts;

namespace Routing.Ledger;

/// <summary>
/// The cluster ledger's write connection, driven by <see cref="GroupCommit"/> like the embedded one: a batch of
/// writes goes to the server as one <see cref="NpgsqlBatch"/> (one round trip) inside one transaction. A broken
/// connection fails its batch and is opened afresh for the next one. The quarter-hour report totals the batch adds
/// (<see cref="ReportRollup"/>) go in the same batch; what the rollup must read first it reads on the same
/// connection, in the same transaction, before the batch is sent.
/// </summary>
internal sealed class PostgresWriter : ILedgerWriter, IRollupSource
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ReportRollup _rollup;

    /// <summary>This writer's rows of the report totals (see <see cref="ReportQuarters"/>): never another silo's.</summary>
    private readonly int _shard = Random.Shared.Next(1, int.MaxValue);
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;
    private NpgsqlBatch? _batch;

    public PostgresWriter(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
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
            foreach (var write in batch)
            {
                write.Apply(this);
            }
            foreach (var (key, totals) in _rollup.Pending)
            {
                Add(PostgresSchema.UpsertQuarter, ReportQuarters.Values(key, _shard, totals));
            }
            commands.ExecuteNonQuery();
            transaction.Commit();
            _rollup.Stored();
        }
        catch
        {
            _rollup.Discard();
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
        }
    }

    public void UpsertQueue(QueueWrite write)
    {
        Add(PostgresSchema.UpsertQueue, write.Workspace, write.Queue.QueueId, write.Definition, write.Queue.UpdatedAt.UtcTicks);
        _rollup.Queue(write.Workspace, write.Queue);
    }

    public void UpsertAgent(AgentWrite write)
    {
        var agent = write.Agent;
        Add(PostgresSchema.UpsertAgent, write.Workspace, agent.AgentId, write.Definition, agent.Status.ToString(), agent.Reason,
            agent.StatusSince.UtcTicks, agent.IdleSince.UtcTicks, agent.MissedOffersInRow, agent.UpdatedAt.UtcTicks);
    }

    public void UpsertCredential(CredentialWrite write)
    {
        var credential = write.Credential;
        Add(PostgresSchema.UpsertCredential, write.Workspace, credential.Kind, credential.Id, credential.Data, credential.UpdatedAt.UtcTicks);
    }

    public void SaveConversation(ConversationWrite write)
    {
        var c = write.Change.Conversation;
        _rollup.Conversation(write.Workspace, write.Change);
        Add(PostgresSchema.UpsertConversation, write.Workspace, c.ConversationId, c.State.ToString(), c.Channel, c.QueueId,
            write.Customer, c.Priority, write.Skills, write.Attributes, c.AgentId, c.CreatedAt.UtcTicks, c.Arrival,
            write.ExcludedAgents, write.Offers, c.ConnectedAt?.UtcTicks, c.WrapUpEndsAt?.UtcTicks, c.EndedAt?.UtcTicks,
            c.Disposition, c.Rating, c.UpdatedAt.UtcTicks, c.RequestHash);
        foreach (var t in write.Change.NewTransitions)
        {
            Add(PostgresSchema.AppendTransition, write.Workspace, c.ConversationId, t.State.ToString(), t.At.UtcTicks, t.AgentId, t.QueueId, t.Reason);
        }
        foreach (var m in write.Change.NewMessages)
        {
            Add(PostgresSchema.AppendMessage, write.Workspace, c.ConversationId, m.Sequence, m.At.UtcTicks, m.From, m.AgentId, m.Text);
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
        return command.ExecuteScalar() is string definition ? LedgerJson.Read<QueueDefinition>(definition).ServiceLevel.TargetSeconds : null;
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

    private NpgsqlConnection Connection() => _connection ??= _dataSource.OpenConnection();

    /// <summary>Adds a statement with positional parameters; a null goes as a typed NULL of the column's kind.</summary>
    private void Add(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value is null ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Unknown } : new NpgsqlParameter { Value = value });
        }
        _batch!.BatchCommands.Add(command);
    }
}
