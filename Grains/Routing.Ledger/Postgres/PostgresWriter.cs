using Npgsql;

namespace Routing.Ledger;

/// <summary>
/// The cluster ledger's write connection, driven by <see cref="GroupCommit"/> like the embedded one: a batch of
/// writes goes to the server as one <see cref="NpgsqlBatch"/> (one round trip) inside one transaction. A broken
/// connection fails its batch and is opened afresh for the next one.
/// </summary>
internal sealed class PostgresWriter(NpgsqlDataSource dataSource) : ILedgerWriter
{
    private NpgsqlConnection? _connection;
    private NpgsqlBatch? _batch;

    public void Commit(IReadOnlyList<PendingWrite> batch)
    {
        var connection = Connection();
        try
        {
            using var transaction = connection.BeginTransaction();
            using var commands = new NpgsqlBatch(connection, transaction);
            _batch = commands;
            foreach (var write in batch)
            {
                write.Apply(this);
            }
            commands.ExecuteNonQuery();
            transaction.Commit();
        }
        catch
        {
            if (connection.FullState != System.Data.ConnectionState.Open)
            {
                connection.Dispose();
                _connection = null;
            }
            throw;
        }
        finally
        {
            _batch = null;
        }
    }

    public void UpsertQueue(QueueWrite write) =>
        Add(PostgresSchema.UpsertQueue, write.Workspace, write.Queue.QueueId, write.Definition, write.Queue.UpdatedAt.UtcTicks);

    public void UpsertAgent(AgentWrite write)
    {
        var agent = write.Agent;
        Add(PostgresSchema.UpsertAgent, write.Workspace, agent.AgentId, write.Definition, agent.Status.ToString(), agent.Reason,
            agent.StatusSince.UtcTicks, agent.IdleSince.UtcTicks, agent.MissedOffersInRow, agent.UpdatedAt.UtcTicks);
    }

    public void SaveConversation(ConversationWrite write)
    {
        var c = write.Change.Conversation;
        Add(PostgresSchema.UpsertConversation, write.Workspace, c.ConversationId, c.State.ToString(), c.Channel, c.QueueId,
            write.Customer, c.Priority, write.Skills, write.Attributes, c.AgentId, c.CreatedAt.UtcTicks, c.Arrival,
            write.ExcludedAgents, write.Offers, c.ConnectedAt?.UtcTicks, c.WrapUpEndsAt?.UtcTicks, c.EndedAt?.UtcTicks,
            c.Disposition, c.Rating, c.UpdatedAt.UtcTicks);
        foreach (var t in write.Change.NewTransitions)
        {
            Add(PostgresSchema.AppendTransition, write.Workspace, c.ConversationId, t.State.ToString(), t.At.UtcTicks, t.AgentId, t.QueueId, t.Reason);
        }
        foreach (var m in write.Change.NewMessages)
        {
            Add(PostgresSchema.AppendMessage, write.Workspace, c.ConversationId, m.Sequence, m.At.UtcTicks, m.From, m.AgentId, m.Text);
        }
    }

    public void Dispose()
    {
        _connection?.Dispose();
        _connection = null;
    }

    private NpgsqlConnection Connection() => _connection ??= dataSource.OpenConnection();

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
