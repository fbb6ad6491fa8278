using Routing.Contracts;

namespace Routing.Grains.Queues;

/// <summary>
/// What the grains ask of a queue among themselves — its conversations entering and leaving the line, its agents
/// saying what they can take, the statistics of what became of its conversations, its own ticker, and the recovery
/// after a restart — apart from <see cref="IQueueGrain"/>, the contract the API and the hubs use
/// (docs/architecture.md). A grain reference of this interface and one of <see cref="IQueueGrain"/> with the same
/// key reach the same grain.
/// </summary>
[Alias("routing.IQueueCallbacks")]
public interface IQueueCallbacks : IQueueGrain
{
    /// <summary>
    /// Puts a conversation in line (or back in its place, after a decline or timeout) and offers it at once if an
    /// agent is ready. Throws <c>queue-full</c> when a new conversation would pass the maximum length.
    /// </summary>
    /// <param name="ticket">The conversation's place in line.</param>
    /// <param name="isArrival">True for a new conversation: only arrivals are held to the maximum length.</param>
    [Alias("Enqueue")]
    Task<QueuePosition> EnqueueAsync(QueueTicket ticket, bool isArrival);

    /// <summary>
    /// A new conversation arrives: if the queue gives its channel a self-service step (docs/self-service.md), it is not put
    /// in line and the answer names the step's mode; otherwise it is, as <see cref="EnqueueAsync"/> does an arrival.
    /// </summary>
    [Alias("Arrive")]
    Task<Arrival> ArriveAsync(QueueTicket ticket);

    /// <summary>Takes a conversation out of line, here and in any queue it overflowed into. Unknown ids are ignored.</summary>
    [Alias("Remove")]
    Task RemoveAsync(string conversationId);

    /// <summary>Where a waiting conversation stands, or null when it is not in this line.</summary>
    [Alias("GetPosition")]
    Task<QueuePosition?> GetPositionAsync(string conversationId);

    /// <summary>
    /// An agent that serves this queue has room: update the mirror and promise it the best conversations it is
    /// eligible for. Returns the channel of each conversation promised, so the agent can tell its next queue
    /// (it asks its queues in rank order) how much room is left.
    /// </summary>
    [Alias("AgentReady")]
    Task<IReadOnlyList<string>> AgentReadyAsync(AgentAvailability agent);

    /// <summary>An agent's availability changed (a slot taken, status, definition); keeps the mirror current.</summary>
    [Alias("AgentChanged"), Orleans.Concurrency.OneWay]
    Task AgentChangedAsync(AgentAvailability agent);

    /// <summary>A conversation of this queue was connected after waiting <paramref name="waited"/>.</summary>
    [Alias("RecordConnected")]
    Task RecordConnectedAsync(TimeSpan waited);

    /// <summary>A conversation of this queue was completed after <paramref name="handled"/> of handling.</summary>
    [Alias("RecordCompleted")]
    Task RecordCompletedAsync(TimeSpan handled);

    /// <summary>A chat of this queue ended its self-service step: resolved (<paramref name="deflected"/>), or escalated.</summary>
    [Alias("RecordSelfService")]
    Task RecordSelfServiceAsync(bool deflected);

    /// <summary>A conversation of this queue was abandoned after waiting <paramref name="waited"/>.</summary>
    [Alias("RecordAbandoned")]
    Task RecordAbandonedAsync(TimeSpan waited);

    /// <summary>A customer is (or is no longer) watching this conversation's place in line: push it changes once a second.</summary>
    [Alias("Watch")]
    Task WatchAsync(string conversationId, bool watching);

    /// <summary>A time-based change is due (a skill step relaxes, an overflow wait passes).</summary>
    [Alias("Tick")]
    Task TickAsync();

    /// <summary>
    /// Checks the line against the ledger and puts back what it has missed at this check and the one before
    /// (docs/reliability.md, "No conversation leaves every line"). The queue runs it every
    /// <c>Routing:LineCheckSeconds</c>; returns the conversations put back.
    /// </summary>
    [Alias("CheckLine")]
    Task<IReadOnlyList<string>> CheckLineAsync();

    /// <summary>Activates the queue so it reloads its line from the ledger and resumes matching.</summary>
    [Alias("Wake")]
    Task WakeAsync();
}

/// <summary>Where an arrival went: into the line (<see cref="Position"/>), or first to the queue's self-service step (its mode).</summary>
[GenerateSerializer, Immutable, Alias("routing.Arrival")]
public sealed record Arrival(QueuePosition? Position, string? SelfService);
