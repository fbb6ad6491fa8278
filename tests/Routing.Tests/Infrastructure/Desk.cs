using System.Collections.Concurrent;
using System.Diagnostics;
using Routing.Client;
using Routing.Contracts;
using Xunit.Abstractions;

namespace Routing.Tests.Infrastructure;

/// <summary>
/// The simulated agents: each accepts what it is offered and completes it at once, retrying a call that fails
/// while the cluster recovers, and goes back to Available when set Away for missed offers. It checks on the way
/// that no conversation is accepted by two agents or offered once completed (the ledger's timelines are checked for
/// capacity afterwards).
/// </summary>
public sealed class Desk(ITestOutputHelper output, HttpClient rest)
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<long>> _offers = new();
    private readonly HashSet<string> _completed = [];

    public List<AgentConnection> Agents { get; } = [];

    public ConcurrentDictionary<string, string> Accepted { get; } = new();

    public EventLog<HashSet<string>> Completed { get; } = new();

    public ConcurrentQueue<string> Violations { get; } = new();

    public bool OfferedBefore(string id, long at) => _offers.TryGetValue(id, out var times) && times.Any(t => t < at);

    /// <summary>How long after <paramref name="at"/> (a <see cref="Stopwatch"/> timestamp) the conversation was first offered; <see
    /// cref="TimeSpan.MaxValue"/> if it was not.</summary>
    public TimeSpan FirstOfferAfter(string id, long at) =>
        _offers.TryGetValue(id, out var times)
        && times.Where(t => t >= at).DefaultIfEmpty(long.MaxValue).Min() is var first
        && first != long.MaxValue
            ? Stopwatch.GetElapsedTime(at, first)
            : TimeSpan.MaxValue;

    public async Task ConnectAsync(RealtimeOptions options, string agentId)
    {
        var agent = new AgentConnection(options, agentId);
        agent.OfferReceived += offer =>
        {
            _offers.GetOrAdd(offer.ConversationId, _ => new()).Enqueue(Stopwatch.GetTimestamp());
            lock (_completed)
            {
                if (_completed.Contains(offer.ConversationId))
                {
                    Violations.Enqueue(
                        $"{offer.ConversationId} offered to {agentId} (until {offer.ExpiresAt:O}) after "
                            + $"{Accepted.GetValueOrDefault(offer.ConversationId)} completed it"
                    );
                }
            }
            Background($"{agentId} handling {offer.ConversationId}", () => HandleAsync(agent, offer.ConversationId));
        };
        // An accept whose answer was lost while a silo died may still have connected the conversation: the
        // desk learns it from its assignments, as a real desk resynchronises, and completes it.
        agent.AssignmentChanged += (id, state, reason) =>
        {
            if (state == ConversationState.Connected && !Accepted.ContainsKey(id))
            {
                Background($"{agentId} holding {id}", () => HoldAndCompleteAsync(agent, id));
            }
            else if (state == ConversationState.Completed)
            {
                MarkCompleted(id);
            }
        };
        agent.StatusChanged += (status, reason) =>
        {
            if (status == AgentStatus.Away && reason == "missed-offers")
            {
                Background($"{agentId} back to Available", () => Retry(() => agent.SetStatusAsync(AgentStatus.Available)));
            }
        };
        await agent.StartAsync();
        Agents.Add(agent);
    }

    public async Task SetAvailableAsync(IEnumerable<AgentConnection> agents)
    {
        foreach (var agent in agents)
        {
            await Retry(() => agent.SetStatusAsync(AgentStatus.Available));
        }
    }

    private async Task HandleAsync(AgentConnection agent, string id)
    {
        try
        {
            // "unavailable" and "ledger-unavailable" are transient: try again. The conversation handles one call at a time, so a retry is
            // answered after the first attempt has settled, and says "offer-not-held" if that one connected it.
            await Retry(() => agent.AcceptAsync(id));
        }
        catch (Exception e)
        {
            // Refused — or accepted by an attempt whose answer was lost: ask the server, as a desk's resync would.
            output.WriteLine($"{agent.AgentId} could not accept {id}: {(e as RealtimeException)?.Code ?? e.Message}");
            var seen = await (await rest.GetAsync($"/api/conversations/{id}")).Body();
            if (seen.GetProperty("state").GetString() != "Connected" || seen.GetProperty("agentId").GetString() != agent.AgentId)
            {
                return;
            }
        }
        await HoldAndCompleteAsync(agent, id);
    }

    private async Task HoldAndCompleteAsync(AgentConnection agent, string id)
    {
        if (!Accepted.TryAdd(id, agent.AgentId))
        {
            if (Accepted[id] != agent.AgentId)
            {
                Violations.Enqueue($"{id} accepted by {agent.AgentId} after {Accepted[id]}");
            }
            return;
        }
        try
        {
            await Retry(() => agent.CompleteAsync(id, "done"));
        }
        catch (RealtimeException e)
        {
            // Refused: a retry of a complete whose answer was lost finds it completed already.
            var seen = await (await rest.GetAsync($"/api/conversations/{id}")).Body();
            output.WriteLine($"{agent.AgentId} could not complete {id}: {e.Code}; it is {seen.GetProperty("state").GetString()}");
            if (seen.GetProperty("state").GetString() != "Completed")
            {
                Violations.Enqueue($"{agent.AgentId} could not complete {id}: {e.Code}");
                return;
            }
        }
        MarkCompleted(id);
    }

    private void MarkCompleted(string id)
    {
        lock (_completed)
        {
            if (_completed.Add(id))
            {
                Completed.Add([.. _completed]);
            }
        }
    }

    /// <summary>Runs a desk's reaction off the connection's thread; a failure is a violation, not lost silently.</summary>
    private void Background(string what, Func<Task> work) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await work();
            }
            catch (Exception e)
            {
                output.WriteLine($"{what} failed: {e}");
                Violations.Enqueue($"{what} failed: {e.Message}");
            }
        });

    /// <summary>
    /// Calls until it succeeds: while a dead silo is being declared dead, calls to what it held fail; while the ledger
    /// is down, calls that write are refused.
    /// </summary>
    private static async Task Retry(Func<Task> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await call();
                return;
            }
            catch (Exception e) when (attempt < 60 && e is not RealtimeException { Code: not ("unavailable" or "ledger-unavailable") })
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }
}
