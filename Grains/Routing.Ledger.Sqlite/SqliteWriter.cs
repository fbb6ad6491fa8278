using System.Globalization;
using Microsoft.Data.Sqlite;
using Routing.Contracts;

namespace Routing.Ledger;

/// <summary>
/// The ledger's one write connection and its prepared statements. Only the write loop uses it, one batch at a time:
/// a batch is applied in the order it was submitted inside a single transaction, so its writes share one fsync —
/// with the quarter-hour report totals the batch adds (<see cref="ReportRollup"/>).
/// </summary>
internal sealed class SqliteWriter : ILedgerWriter, IRollupSource
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _upsertQueue;
    private readonly SqliteCommand _upsertAgent;
    private readonly SqliteCommand _upsertCredential;
    private readonly SqliteCommand _appendArticleVersion;
    private readonly SqliteCommand _upsertArticle;
    private readonly SqliteCommand _upsertReply;
    private readonly SqliteCommand _deleteReply;
    private readonly SqliteCommand _upsertConversation;
    private readonly SqliteCommand _appendTransition;
    private readonly SqliteCommand _appendMessage;
    private readonly SqliteCommand _upsertQuarter;
    private readonly SqliteCommand _lastTransition;
    private readonly SqliteCommand _storedRating;
    private readonly SqliteCommand _queueDefinition;
    private readonly ReportRollup _rollup;

    private SqliteWriter(SqliteConnection connection)
    {
        _connection = connection;
        _upsertQueue = Prepare(SqliteSchema.UpsertQueue, "workspace", "id", "definition", "updated_at");
        _upsertAgent = Prepare(
            SqliteSchema.UpsertAgent,
            "workspace",
            "id",
            "definition",
            "status",
            "reason",
            "status_since",
            "idle_since",
            "missed_offers",
            "updated_at"
        );
        _upsertCredential = Prepare(SqliteSchema.UpsertCredential, "workspace", "kind", "id", "data", "updated_at");
        _appendArticleVersion = Prepare(SqliteSchema.AppendArticleVersion, "workspace", "article_id", "version", "data");
        _upsertArticle = Prepare(SqliteSchema.UpsertArticle, "workspace", "article_id", "version", "deleted", "data");
        _upsertReply = Prepare(SqliteSchema.UpsertReply, "workspace", "agent_id", "reply_id", "data");
        _deleteReply = Prepare(SqliteSchema.DeleteReply, "workspace", "agent_id", "reply_id");
        _upsertConversation = Prepare(
            SqliteSchema.UpsertConversation,
            "workspace",
            "id",
            "state",
            "channel",
            "queue_id",
            "customer",
            "priority",
            "skills",
            "attributes",
            "agent_id",
            "created_at",
            "arrival",
            "excluded_agents",
            "offers",
            "connected_at",
            "wrap_up_ends_at",
            "ended_at",
            "disposition",
            "rating",
            "updated_at",
            "request_hash",
            "waiting_since",
            "customer_id"
        );
        _appendTransition = Prepare(
            SqliteSchema.AppendTransition,
            "workspace",
            "conversation_id",
            "state",
            "at",
            "agent_id",
            "queue_id",
            "reason"
        );
        _appendMessage = Prepare(
            SqliteSchema.AppendMessage,
            "workspace",
            "conversation_id",
            "sequence",
            "at",
            "sender",
            "agent_id",
            "text"
        );
        _upsertQuarter = Prepare(
            ReportQuarters.Upsert(Parameter),
            [.. Enumerable.Range(0, ReportQuarters.Parameters).Select(i => Parameter(i)[1..])]
        );
        _lastTransition = Prepare(SqliteSchema.SelectLastTransition, "workspace", "id");
        _storedRating = Prepare(SqliteSchema.SelectRating, "workspace", "id");
        _queueDefinition = Prepare(SqliteSchema.SelectQueueDefinition, "workspace", "id");
        _rollup = new ReportRollup(this);
    }

    private static string Parameter(int i) => "$p" + i.ToString(CultureInfo.InvariantCulture);

    /// <summary>Opens the database file, sets WAL and full sync, and creates the schema if it is missing.</summary>
    public static SqliteWriter Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            Execute(connection, SqliteSchema.WriterPragmas);
            // BEGIN IMMEDIATE: several processes starting at once create the schema one after the other.
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                Execute(connection, SqliteSchema.Create, transaction);
                if (Execute(connection, SqliteSchema.AddVersion2, transaction) == 1)
                {
                    ReportQuarters.Backfill(connection, transaction); // a ledger from before the report totals
                }
                if (Execute(connection, SqliteSchema.AddVersion3, transaction) == 1)
                {
                    Execute(connection, SqliteSchema.AddRequestHash, transaction);
                }
                if (Execute(connection, SqliteSchema.AddVersion4, transaction) == 1)
                {
                    Execute(connection, SqliteSchema.CreateKnowledge, transaction);
                }
                if (Execute(connection, SqliteSchema.AddVersion5, transaction) == 1)
                {
                    Execute(connection, SqliteSchema.AddWaitingSince, transaction);
                    Execute(connection, LedgerColumns.UnansweredIndex, transaction);
                    Execute(connection, LedgerColumns.CreatedIndex, transaction);
                    foreach (
                        var measure in ReportQuarters.AddedInVersion5.Where(m => !HasColumn(connection, transaction, "report_quarters", m))
                    )
                    {
                        Execute(connection, $"ALTER TABLE report_quarters ADD COLUMN {measure} INTEGER NOT NULL DEFAULT 0", transaction);
                    }
                }
                if (Execute(connection, SqliteSchema.AddVersion6, transaction) == 1)
                {
                    Execute(connection, SqliteSchema.CreateReplies, transaction);
                    Execute(connection, LedgerColumns.DropActiveIndex, transaction);
                    Execute(connection, LedgerColumns.ActiveIndex, transaction);
                }
                if (Execute(connection, SqliteSchema.AddVersion7, transaction) == 1)
                {
                    Execute(connection, SqliteSchema.AddCustomerId, transaction);
                    Execute(connection, LedgerColumns.CustomerIndex, transaction);
                }
                transaction.Commit();
            }
            return new SqliteWriter(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Applies every write of the batch in one transaction; throws, having rolled back, if any fails.</summary>
    public void Commit(IReadOnlyList<PendingWrite> batch)
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        _upsertQueue.Transaction = transaction;
        _upsertAgent.Transaction = transaction;
        _upsertCredential.Transaction = transaction;
        _appendArticleVersion.Transaction = transaction;
        _upsertArticle.Transaction = transaction;
        _upsertReply.Transaction = transaction;
        _deleteReply.Transaction = transaction;
        _upsertConversation.Transaction = transaction;
        _appendTransition.Transaction = transaction;
        _appendMessage.Transaction = transaction;
        foreach (var command in new[] { _upsertQuarter, _lastTransition, _storedRating, _queueDefinition })
        {
            command.Transaction = transaction;
        }
        try
        {
            foreach (var write in batch)
            {
                write.Apply(this);
            }
            foreach (var (key, totals) in _rollup.Pending)
            {
                Run(_upsertQuarter, ReportQuarters.Values(key, 0, totals)); // the one writer: one shard
            }
            transaction.Commit();
        }
        catch
        {
            _rollup.Discard();
            throw;
        }
        _rollup.Stored();
    }

    public void UpsertQueue(QueueWrite write)
    {
        Run(_upsertQueue, write.Workspace, write.Queue.QueueId, write.Definition, LedgerRows.Ticks(write.Queue.UpdatedAt));
        _rollup.Queue(write.Workspace, write.Queue);
    }

    public void UpsertAgent(AgentWrite write)
    {
        var agent = write.Agent;
        Run(
            _upsertAgent,
            write.Workspace,
            agent.AgentId,
            write.Definition,
            agent.Status.ToString(),
            agent.Reason,
            LedgerRows.Ticks(agent.StatusSince),
            LedgerRows.Ticks(agent.IdleSince),
            agent.MissedOffersInRow,
            LedgerRows.Ticks(agent.UpdatedAt)
        );
    }

    public void UpsertCredential(CredentialWrite write)
    {
        var credential = write.Credential;
        Run(_upsertCredential, write.Workspace, credential.Kind, credential.Id, credential.Data, LedgerRows.Ticks(credential.UpdatedAt));
    }

    public void SaveArticle(ArticleWrite write)
    {
        var article = write.Article;
        Bind(_appendArticleVersion, write.Workspace, article.ArticleId, article.Version, write.Data);
        if (_appendArticleVersion.ExecuteNonQuery() == 0)
        {
            write.RefuseAsDuplicate();
            return;
        }
        Run(_upsertArticle, write.Workspace, article.ArticleId, article.Version, article.Deleted, write.Data);
    }

    public void SaveReply(ReplyWrite write) => Run(_upsertReply, write.Workspace, write.AgentId, write.Reply.ReplyId, write.Data);

    public void DeleteReply(ReplyDeletion write) => Run(_deleteReply, write.Workspace, write.AgentId, write.ReplyId);

    public void SaveConversation(ConversationWrite write)
    {
        var c = write.Change.Conversation;
        _rollup.Conversation(write.Workspace, write.Change); // first: it may read what this write replaces
        Run(
            _upsertConversation,
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
            LedgerRows.Ticks(c.CreatedAt),
            c.Arrival,
            write.ExcludedAgents,
            write.Offers,
            LedgerRows.Ticks(c.ConnectedAt),
            LedgerRows.Ticks(c.WrapUpEndsAt),
            LedgerRows.Ticks(c.EndedAt),
            c.Disposition,
            c.Rating,
            LedgerRows.Ticks(c.UpdatedAt),
            c.RequestHash,
            LedgerRows.Ticks(c.WaitingSince),
            c.Customer.Id
        );
        foreach (var t in write.Change.NewTransitions)
        {
            Run(
                _appendTransition,
                write.Workspace,
                c.ConversationId,
                t.State.ToString(),
                LedgerRows.Ticks(t.At),
                t.AgentId,
                t.QueueId,
                t.Reason
            );
        }
        foreach (var m in write.Change.NewMessages)
        {
            Run(
                _appendMessage,
                write.Workspace,
                c.ConversationId,
                m.Sequence,
                LedgerRows.Ticks(m.At),
                m.From,
                LedgerRows.Reference(m),
                m.Text
            );
        }
        // A note is kept as -n beside the messages (LedgerRows.Entry, docs/supervision.md).
        foreach (var n in write.Change.NewNotes ?? [])
        {
            Run(_appendMessage, write.Workspace, c.ConversationId, -n.Sequence, LedgerRows.Ticks(n.At), n.Kind, n.By, n.Text);
        }
    }

    ConversationTransition? IRollupSource.LastTransition(string workspace, string conversationId)
    {
        Bind(_lastTransition, workspace, conversationId);
        using var row = _lastTransition.ExecuteReader();
        return row.Read() ? LedgerRows.Transition(row) : null;
    }

    int? IRollupSource.StoredRating(string workspace, string conversationId)
    {
        Bind(_storedRating, workspace, conversationId);
        return _storedRating.ExecuteScalar() is { } rating and not DBNull ? Convert.ToInt32(rating, CultureInfo.InvariantCulture) : null;
    }

    int? IRollupSource.TargetSeconds(string workspace, string queueId)
    {
        Bind(_queueDefinition, workspace, queueId);
        return _queueDefinition.ExecuteScalar() is string definition
            ? LedgerJson.Read<QueueDefinition>(definition).ServiceLevel.TargetSeconds
            : null;
    }

    public void Dispose()
    {
        _upsertQueue.Dispose();
        _upsertAgent.Dispose();
        _upsertCredential.Dispose();
        _appendArticleVersion.Dispose();
        _upsertArticle.Dispose();
        _upsertReply.Dispose();
        _deleteReply.Dispose();
        _upsertConversation.Dispose();
        _appendTransition.Dispose();
        _appendMessage.Dispose();
        _upsertQuarter.Dispose();
        _lastTransition.Dispose();
        _storedRating.Dispose();
        _queueDefinition.Dispose();
        _connection.Dispose();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter("$" + name, DBNull.Value));
        }
        command.Prepare();
        return command;
    }

    /// <summary>Binds the values to the command's parameters in the order they were declared, and executes it.</summary>
    private static void Run(SqliteCommand command, params object?[] values)
    {
        Bind(command, values);
        command.ExecuteNonQuery();
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    private static bool HasColumn(SqliteConnection connection, SqliteTransaction transaction, string table, string column)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = $column";
        command.Parameters.AddWithValue("$column", column);
        command.Transaction = transaction;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static int Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteNonQuery();
    }
}
