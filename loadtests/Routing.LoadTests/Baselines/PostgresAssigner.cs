using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;
using Routing.LoadTests.Simulation;

namespace Routing.LoadTests.Baselines;

/// <summary>
/// One of baseline P's worker loops, on a connection of its own with its statements prepared: makes one
/// assignment per transaction, by <c>SELECT … FOR UPDATE SKIP LOCKED</c> over the waiting conversations and
/// then over the agents' slots, while there is one to make; then sleeps until woken or the fallback poll.
/// </summary>
internal sealed class PostgresAssigner(
    NpgsqlDataSource dataSource,
    string[] lineQueues,
    string[] lineChannels,
    PostgresAssigner.Signal wake,
    IOfferSink offers,
    ConcurrentQueue<string> failures
)
{
    private static readonly TimeSpan FallbackPoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly List<(string Id, string QueueId, string Channel, bool Declined)> _heads = [];
    private readonly HashSet<(string QueueId, string Channel)> _linesWithoutAgent = [];

    /// <summary>
    /// Assigns while there is something to assign, then waits for a wake-up or the fallback poll. An arrival
    /// or a freed slot during an attempt that found nothing means at once another attempt: that attempt may
    /// have skipped the very rows the event concerns, locked by another worker. Offers are delivered only
    /// once committed. A failure (the server restarting, say) is recorded, and the worker reconnects.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                await using var selectHeads = await PrepareAsync(
                    connection,
                    PostgresSchema.Heads,
                    cancellationToken,
                    Parameter(lineQueues),
                    Parameter(lineChannels)
                );
                await using var freeAgent = await PrepareAsync(
                    connection,
                    PostgresSchema.FreeAgent,
                    cancellationToken,
                    Text(),
                    Text(),
                    Text()
                );
                await using var offer = await PrepareAsync(connection, PostgresSchema.Offer, cancellationToken, Text(), Text());
                while (true)
                {
                    var seen = wake.Count;
                    if (await AssignOneAsync(connection, selectHeads, freeAgent, offer, cancellationToken) is { } assigned)
                    {
                        offers.Offered(assigned.AgentId, assigned.ConversationId, assigned.Channel);
                        continue;
                    }
                    await wake.WaitAsync(seen, FallbackPoll, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (failures.Count < 50)
                {
                    failures.Enqueue($"an assignment worker failed: {e.GetType().Name}: {e.Message}");
                }
                await Task.Delay(RetryDelay, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// One transaction: lock the heads of the waiting lines, take the first (in serving order) that has a free
    /// agent, lock that agent's slot, offer, commit. Returns the assignment once committed, or null if none
    /// could be made now (every head locked by another worker or without a free agent).
    /// </summary>
    private async Task<(string AgentId, string ConversationId, string Channel)?> AssignOneAsync(
        NpgsqlConnection connection,
        NpgsqlCommand selectHeads,
        NpgsqlCommand freeAgent,
        NpgsqlCommand offer,
        CancellationToken cancellationToken
    )
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        _heads.Clear();
        _linesWithoutAgent.Clear();
        await using (var reader = await selectHeads.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                _heads.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3)));
            }
        }
        foreach (var (id, queueId, channel, declined) in _heads)
        {
            if (_linesWithoutAgent.Contains((queueId, channel)))
            {
                continue;
            }
            freeAgent.Parameters[0].Value = id;
            freeAgent.Parameters[1].Value = queueId;
            freeAgent.Parameters[2].Value = channel;
            if (await freeAgent.ExecuteScalarAsync(cancellationToken) is not string agentId)
            {
                if (!declined)
                {
                    // No free agent this transaction can lock serves the line: the next head would find none either.
                    _linesWithoutAgent.Add((queueId, channel));
                }
                continue;
            }
            offer.Parameters[0].Value = id;
            offer.Parameters[1].Value = agentId;
            if (await offer.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                // Both rows are locked and the conversation was re-checked as waiting when locked: cannot happen.
                throw new InvalidOperationException($"offering {id} to {agentId} changed no slot");
            }
            await transaction.CommitAsync(cancellationToken);
            return (agentId, id, channel);
        }
        // Nothing to assign: ending the transaction releases the heads for the other workers.
        await transaction.RollbackAsync(cancellationToken);
        return null;
    }

    private static async Task<NpgsqlCommand> PrepareAsync(
        NpgsqlConnection connection,
        string sql,
        CancellationToken cancellationToken,
        params NpgsqlParameter[] parameters
    )
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await command.PrepareAsync(cancellationToken);
        return command;
    }

    private static NpgsqlParameter<string[]> Parameter(string[] values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = values };

    private static NpgsqlParameter Text() => new() { NpgsqlDbType = NpgsqlDbType.Text };

    /// <summary>Wakes the workers: on every arrival and every freed slot.</summary>
    internal sealed class Signal(int workers) : IDisposable
    {
        private readonly SemaphoreSlim _semaphore = new(0);
        private long _count;

        /// <summary>How many wake-ups so far.</summary>
        public long Count => Interlocked.Read(ref _count);

        /// <summary>Lets one more worker run, unless all are already due to.</summary>
        public void Wake()
        {
            Interlocked.Increment(ref _count);
            if (_semaphore.CurrentCount < workers)
            {
                _semaphore.Release();
            }
        }

        /// <summary>Returns at once if woken since <paramref name="seen"/> was read, else at the next wake-up or the timeout.</summary>
        public async Task WaitAsync(long seen, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (Count == seen)
            {
                await _semaphore.WaitAsync(timeout, cancellationToken);
            }
        }

        public void Dispose() => _semaphore.Dispose();
    }
}
