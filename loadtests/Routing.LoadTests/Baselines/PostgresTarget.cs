using System.Collections.Concurrent;
using Npgsql;
using Routing.LoadTests.Scenarios;
using Routing.LoadTests.Simulation;

namespace Routing.LoadTests.Baselines;

/// <summary>
/// Baseline P: what a team would build instead of our grains — the conversations and agents as rows in
/// PostgreSQL, assignment by <c>SELECT … FOR UPDATE SKIP LOCKED</c>, one transaction per assignment, run by a
/// fixed number of worker loops, each on its own connection. Every create and every state change is one
/// committed (durable) statement.
/// <para>
/// P routes by queue, channel capacity, priority then age (FIFO) and longest idle agent. It ignores skill
/// requirements and their relaxation, queue ranks, aging, selection methods other than longest-idle, and has
/// no offer timeouts (the runner's agents always answer): simpler than our product, which favours P.
/// </para>
/// <para>
/// Workers run on arrival and on every freed slot (a signal, not a poll), with a short fallback poll when
/// idle. The tables live in their own schema (<see cref="PostgresSchema.Name"/>), dropped when done, so two
/// runs must not share a database at once.
/// </para>
/// </summary>
public sealed class PostgresTarget : ITarget
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly int _workers;
    private readonly PostgresAssigner.Signal _wake;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<string> _violations = new(); // and the workers' failures
    private Task[] _workerLoops = [];
    private IOfferSink _offers = null!;
    private bool _disposed;

    /// <param name="connectionString">An Npgsql connection string (e.g. the line <c>scripts/postgres.sh start</c> prints).</param>
    /// <param name="workers">How many assignment loops run, each holding one connection of the pool.</param>
    public PostgresTarget(string connectionString, int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _workers = workers;
        _wake = new PostgresAssigner.Signal(workers);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        settings.SearchPath = PostgresSchema.Name;
        // The workers hold their connections for the whole run; the calls of the runner share the rest.
        settings.MaxPoolSize = Math.Max(settings.MaxPoolSize, workers + 32);
        // The runner's calls go through pooled connections: let Npgsql prepare the statements they repeat.
        settings.MaxAutoPrepare = Math.Max(settings.MaxAutoPrepare, 16);
        // Nothing here changes session state, so a pooled connection needs no reset when it is returned.
        settings.NoResetOnClose = true;
        _dataSource = builder.Build();
    }

    public string Name => "P: PostgreSQL SKIP LOCKED";

    public async Task SetUpAsync(Scenario scenario, IReadOnlyList<AgentSpec> agents, IOfferSink offers, CancellationToken cancellationToken)
    {
        _offers = offers;
        await using (var create = _dataSource.CreateCommand(PostgresSchema.Create))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        var channels = scenario.Capacity.Keys.ToArray();
        var memberships = agents.SelectMany(a => a.Queues.Select(q => (Agent: a.Id, q.QueueId, q.Rank))).ToList();
        var slots = agents.SelectMany(a => scenario.Capacity.Select(c => (Agent: a.Id, Channel: c.Key, Capacity: c.Value))).ToList();
        await using (var insert = _dataSource.CreateBatch())
        {
            insert.BatchCommands.Add(Statement(PostgresSchema.InsertAgents, agents.Select(a => a.Id).ToArray()));
            insert.BatchCommands.Add(
                Statement(
                    PostgresSchema.InsertMemberships,
                    memberships.Select(m => m.Agent).ToArray(),
                    memberships.Select(m => m.QueueId).ToArray(),
                    memberships.Select(m => m.Rank).ToArray()
                )
            );
            insert.BatchCommands.Add(
                Statement(
                    PostgresSchema.InsertSlots,
                    slots.Select(s => s.Agent).ToArray(),
                    slots.Select(s => s.Channel).ToArray(),
                    slots.Select(s => s.Capacity).ToArray()
                )
            );
            insert.BatchCommands.Add(new NpgsqlBatchCommand(PostgresSchema.Analyze));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        // The waiting lines: every queue with every channel.
        var lineQueues = scenario.Queues.SelectMany(q => channels.Select(_ => q.Id)).ToArray();
        var lineChannels = scenario.Queues.SelectMany(_ => channels).ToArray();
        _workerLoops = Enumerable
            .Range(0, _workers)
            .Select(_ => new PostgresAssigner(_dataSource, lineQueues, lineChannels, _wake, offers, _violations))
            .Select(worker => Task.Run(() => worker.RunAsync(_stopping.Token), CancellationToken.None))
            .ToArray();
    }

    public async Task<string?> CreateAsync(ConversationSpec conversation)
    {
        var id = Guid.CreateVersion7().ToString("N");
        await using (var insert = _dataSource.CreateCommand(PostgresSchema.InsertConversation))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = conversation.QueueId });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = conversation.Channel });
            insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Targets.Definitions.PriorityOf(conversation.Tier) });
            await insert.ExecuteNonQueryAsync();
        }
        _wake.Wake();
        return id;
    }

    public async Task<bool> AcceptAsync(string agentId, string conversationId) =>
        await ExecuteAsync(PostgresSchema.Accept, conversationId, agentId) == 1;

    public async Task DeclineAsync(string agentId, string conversationId)
    {
        // No row when the customer left meanwhile: nothing to undo.
        if (await ExecuteAsync(PostgresSchema.Decline, conversationId, agentId) == 1)
        {
            _wake.Wake();
        }
    }

    public async Task CompleteAsync(string agentId, string conversationId)
    {
        if (await CountAsync(PostgresSchema.Complete, conversationId, agentId) != 1)
        {
            // The runner completes only what it connected, and a connected conversation cannot be abandoned.
            _violations.Enqueue($"completing {conversationId} by {agentId} found it not connected to that agent");
            return;
        }
        _wake.Wake();
    }

    public async Task<bool> AbandonAsync(string conversationId)
    {
        var abandoned = await CountAsync(PostgresSchema.Abandon, conversationId) == 1;
        if (abandoned)
        {
            _wake.Wake(); // it may have held a slot
        }
        return abandoned;
    }

    /// <summary>The PostgreSQL server is another process (or machine): not sampled.</summary>
    public ServerSample? SampleServer() => null;

    /// <summary>The slot rows carry <c>CHECK (in_use &lt;= capacity)</c>: an agent over capacity cannot be committed.</summary>
    public bool ChecksCapacity => true;

    public IReadOnlyList<string> ServerSideViolations()
    {
        var violations = _violations.ToList();
        using var connection = _dataSource.OpenConnection();
        using var check = new NpgsqlCommand(PostgresSchema.Violations, connection);
        using var reader = check.ExecuteReader();
        while (reader.Read())
        {
            violations.Add(reader.GetString(0));
        }
        return violations.Take(50).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await _stopping.CancelAsync();
        await Task.WhenAll(_workerLoops);
        try
        {
            await using var drop = _dataSource.CreateCommand(PostgresSchema.Drop);
            await drop.ExecuteNonQueryAsync();
        }
        finally
        {
            await _dataSource.DisposeAsync();
            _stopping.Dispose();
            _wake.Dispose();
        }
    }

    private static NpgsqlBatchCommand Statement(string sql, params Array[] arrays)
    {
        var statement = new NpgsqlBatchCommand(sql);
        foreach (var array in arrays)
        {
            statement.Parameters.Add(new NpgsqlParameter { Value = array });
        }
        return statement;
    }

    private async Task<int> ExecuteAsync(string sql, string conversationId, string agentId)
    {
        await using var command = Command(sql, conversationId, agentId);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a statement ending in <c>SELECT count(*)</c>.</summary>
    private async Task<long> CountAsync(string sql, params string[] parameters)
    {
        await using var command = Command(sql, parameters);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private NpgsqlCommand Command(string sql, params string[] parameters)
    {
        var command = _dataSource.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        }
        return command;
    }
}
