using System.Collections.Concurrent;
using System.Diagnostics;
using Routing.LoadTests.Audit;
using Routing.LoadTests.Scenarios;

namespace Routing.LoadTests.Simulation;

/// <summary>
/// Plays a scenario against a target: customers arrive on the scenario's curve, agents answer their offers
/// after a delay (declining a few), finish after the handle time, customers give up when their patience runs
/// out; with a self-service share, chat and social customers first read the bot's answer and resolve or escalate.
/// Everything is measured as it happens; at the end the runner waits for every conversation to finish (a resolved one
/// has) and checks that none was lost, none was offered to two agents at once and no agent held too many. A warm-up
/// first (<paramref name="warmup"/> at the scenario's base rate, drained before the night starts) lets the server
/// compile and activate what it needs, as a server in service has: only the night is measured.
/// </summary>
public sealed partial class LoadRunner(Scenario scenario, ITarget target, TextWriter progress, TimeSpan warmup = default) : IOfferSink
{
    private readonly ConversationMix _mix = new(scenario);
    private Timeline _timeline = new();
    private readonly ConcurrentDictionary<string, Tracked> _conversations = new(StringComparer.Ordinal);

    // every create answered with an id, warm-up included: what the audit looks for
    private readonly ConcurrentQueue<string> _acknowledged = new();
    private readonly ConcurrentDictionary<string, int> _held = new(StringComparer.Ordinal); // offers and conversations each agent holds
    private readonly ConcurrentDictionary<(string Agent, string Channel), int> _heldOn = new(); // the same, per channel
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal); // each kind's count
    private TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _start = Stopwatch.GetTimestamp();
    private ActionScheduler _scheduler = null!;
    private int _maxHeld;
    private long _ended;
    private long _generated;
    private long _pending; // a baseline's escalated arrivals, created after the customer's time in the step
    private volatile bool _generating = true;

    public static TimeSpan DrainLimit { get; set; } = TimeSpan.FromSeconds(120);

    private static TimeSpan GeneratorCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private double Elapsed => Stopwatch.GetElapsedTime(_start).TotalSeconds;

    private static long Micros(long fromTimestamp) => (long)(Stopwatch.GetElapsedTime(fromTimestamp).TotalMilliseconds * 1000);

    public async Task<RunResult> RunAsync(CancellationToken cancellationToken)
    {
        var agents = _mix.Agents();
        _maxHeld = scenario.Capacity.Values.Sum();
        progress.WriteLine($"[{target.Name}] setting up {agents.Count} agents and {scenario.Queues.Count} queues…");
        await target.SetUpAsync(scenario, agents, this, cancellationToken);
        await using (_scheduler = new ActionScheduler(e => Error(e)))
        {
            if (warmup > TimeSpan.Zero)
            {
                await WarmUpAsync(cancellationToken);
            }
            var before = await target.CountersAsync();
            var generatorBefore = GeneratorCpu();
            var started = Stopwatch.GetTimestamp();
            var ticker = TickEverySecondAsync(started, cancellationToken);
            await GenerateAsync(scenario.Arrivals, started, cancellationToken);
            _generating = false;
            CheckDrained();
            var drained = await Task.WhenAny(_drained.Task, Task.Delay(DrainLimit, cancellationToken)) == _drained.Task;
            _generating = false;
            // Read at once, so the cost is the night's alone: not the ticker's last second, not the double-offer checks' reads.
            var cost = ConversationCost.Between(
                before,
                await target.CountersAsync(),
                GeneratorCpu() - generatorBefore,
                Interlocked.Read(ref _timeline.Created),
                target.GeneratorInServerProcess
            );
            await ticker.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
            var confirmed = await ConfirmDoubleOffersAsync();
            var audit = await AuditAsync(cancellationToken);
            return Result(drained, Stopwatch.GetElapsedTime(started), cost, confirmed) with { Audit = audit };
        }
    }

    /// <summary>
    /// The auditor's replay of the server's ledger: what it finds broken is a broken invariant of the run, named as such.
    /// </summary>
    private async Task<AuditReport?> AuditAsync(CancellationToken cancellationToken)
    {
        try
        {
            var report = await target.AuditAsync([.. _acknowledged.Distinct(StringComparer.Ordinal)], cancellationToken);
            foreach (var violation in report?.Violations.Take(20) ?? [])
            {
                _violations.Enqueue($"audit: {violation.Kind} {violation.Subject}: {violation.Detail}");
            }
            if (report is { Violations.Count: > 20 })
            {
                _violations.Enqueue($"audit: {report.Violations.Count - 20} more violations");
            }
            return report;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _violations.Enqueue($"audit: the ledger could not be audited: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Asks the system's own record about every conversation this runner heard offered to a second agent before the
    /// first offer's end reached it: those the record confirms are violations; the rest were events heard out of order.
    /// Answers how many the record confirmed.
    /// </summary>
    private async Task<int> ConfirmDoubleOffersAsync()
    {
        var suspects = _conversations.Where(c => c.Value.Suspect).Select(c => c.Key).ToList();
        if (suspects.Count == 0)
        {
            return 0;
        }
        try
        {
            var confirmed = await target.DoubleOffersAmongAsync(suspects);
            foreach (var doubleOffer in confirmed)
            {
                _violations.Enqueue(doubleOffer);
            }
            return confirmed.Count;
        }
        catch (Exception e)
        {
            _violations.Enqueue($"{suspects.Count} conversations heard offered twice could not be checked with the server: {e.Message}");
            return 0;
        }
    }

    /// <summary>
    /// The scenario's base rate for <c>warmup</c>, then a wait until every conversation of it has ended; then the
    /// counts start afresh. Failed calls and broken invariants of the warm-up still count.
    /// </summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        progress.WriteLine(
            $"[{target.Name}] warming up for {warmup.TotalSeconds:0} s at {scenario.Arrivals.BaseRatePerSecond:0}/s (not measured)…"
        );
        var flat = new ArrivalCurve
        {
            BaseRatePerSecond = scenario.Arrivals.BaseRatePerSecond,
            WarmupSeconds = warmup.TotalSeconds,
            PeakMultiplier = 1,
            PeakSeconds = 0,
            DecaySeconds = 0,
            CooldownSeconds = 0,
        };
        await GenerateAsync(flat, Stopwatch.GetTimestamp(), cancellationToken);
        _generating = false;
        CheckDrained();
        if (await Task.WhenAny(_drained.Task, Task.Delay(DrainLimit, cancellationToken)) != _drained.Task)
        {
            _violations.Enqueue(
                $"{Interlocked.Read(ref _timeline.Created) - Interlocked.Read(ref _ended)} conversations of the warm-up did not end "
                    + $"within {DrainLimit.TotalSeconds} s"
            );
        }
        var warm = _timeline;
        progress.WriteLine(
            $"[{target.Name}] warm: {warm.Created:N0} conversations, {warm.Refused:N0} refused, {warm.Errors:N0} failed calls"
        );
        _timeline = new Timeline { Errors = Interlocked.Read(ref warm.Errors), Calls = Interlocked.Read(ref warm.Calls) };
        _conversations.Clear();
        Interlocked.Exchange(ref _ended, 0);
        _generated = 0;
        _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _generating = true;
    }

    /// <summary>Creates conversations on the arrival curve, holding back when too many are in flight.</summary>
    private async Task GenerateAsync(ArrivalCurve curve, long started, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var t = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (t >= curve.TotalSeconds)
            {
                break;
            }
            var due = (long)curve.ArrivedBy(t) - _generated;
            var inFlight = Interlocked.Read(ref _timeline.Created) - Interlocked.Read(ref _ended);
            for (var i = 0; i < due && inFlight + i < scenario.MaxInFlight; i++)
            {
                _generated++;
                _ = CreateAsync();
            }
            await Task.Delay(1, cancellationToken);
        }
    }

    /// <summary>
    /// One arrival. A chat or social arrival of a scenario with a self-service share takes the step (docs/self-service.md)
    /// on a target that has it; a target without it (the baselines) is given only what the step would escalate, when it
    /// would: the arrivals the step resolves never reach its queues.
    /// </summary>
    private async Task CreateAsync()
    {
        var spec = _mix.Next();
        Interlocked.Increment(ref _timeline.Arrivals);
        if (!spec.SelfService)
        {
            await CreateIntoLineAsync(spec);
        }
        else if (target.SelfService)
        {
            await CreateIntoStepAsync(spec);
        }
        else if (spec.Resolves)
        {
            Interlocked.Increment(ref _timeline.LeftToSelfService);
        }
        else
        {
            Interlocked.Increment(ref _pending);
            _scheduler.Schedule(
                TimeSpan.FromSeconds(spec.SelfServiceSeconds),
                async () =>
                {
                    try
                    {
                        await CreateIntoLineAsync(spec);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _pending);
                        CheckDrained();
                    }
                }
            );
        }
    }

    private async Task CreateIntoLineAsync(ConversationSpec spec)
    {
        var started = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _timeline.Calls);
        string? id;
        try
        {
            id = await target.CreateAsync(spec);
        }
        catch (Exception e)
        {
            Error(e);
            return;
        }
        if (id is null)
        {
            Interlocked.Increment(ref _timeline.Refused); // turned away at the door: the customer is told to come back
            return;
        }
        Interlocked.Increment(ref _timeline.Created);
        Interlocked.Increment(ref _timeline.Entered);
        if (spec.SelfService)
        {
            Interlocked.Increment(ref _timeline.Escalated); // a baseline's: what the step would have escalated
        }
        _acknowledged.Enqueue(id);
        EnteredLine(id, _conversations.GetOrAdd(id, _ => new Tracked()), spec, started);
    }

    /// <summary>
    /// Waiting for a person from <paramref name="since"/> (the create's start, or the escalation's): the enqueue→offer
    /// latency, the service level and the customer's patience count from then.
    /// </summary>
    private void EnteredLine(string id, Tracked tracked, ConversationSpec spec, long since)
    {
        long? offeredAt;
        lock (tracked)
        {
            tracked.CreatedAt = since;
            tracked.Spec = spec;
            offeredAt = tracked.FirstOfferAt;
        }
        if (offeredAt is { } at)
        {
            _timeline.RecordEnqueueToOffer((long)((at - since) * 1_000_000.0 / Stopwatch.Frequency)); // the offer overtook the answer
        }
        if (!double.IsInfinity(spec.PatienceSeconds))
        {
            _scheduler.Schedule(TimeSpan.FromSeconds(spec.PatienceSeconds), () => GiveUpAsync(id, tracked));
        }
    }

    /// <summary>Into the self-service step with the question: the bot answers, and the customer reads it for a while.</summary>
    private async Task CreateIntoStepAsync(ConversationSpec spec)
    {
        var started = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _timeline.Calls);
        SelfServiceStart? start;
        try
        {
            start = await target.CreateInSelfServiceAsync(spec);
        }
        catch (Exception e)
        {
            Error(e);
            return;
        }
        if (start is null)
        {
            Interlocked.Increment(ref _timeline.Refused);
            return;
        }
        Interlocked.Increment(ref _timeline.Created);
        Interlocked.Increment(ref _timeline.SelfServed);
        _acknowledged.Enqueue(start.Id);
        var tracked = _conversations.GetOrAdd(start.Id, _ => new Tracked());
        if (start.ArticleId is not { } article)
        {
            // No good answer: the step escalated it at once, waiting from its create. The scenario's questions are the
            // articles', so this counts what went wrong, shown in the report.
            Interlocked.Increment(ref _timeline.EscalatedAtOnce);
            Interlocked.Increment(ref _timeline.Entered);
            EnteredLine(start.Id, tracked, spec, started);
            return;
        }
        lock (tracked)
        {
            tracked.Spec = spec;
        }
        _scheduler.Schedule(TimeSpan.FromSeconds(spec.SelfServiceSeconds), () => EndStepAsync(start.Id, tracked, spec, article));
    }

    /// <summary>The customer has read the answer: takes it (Resolved, an end) or asks for a person (into the line).</summary>
    private async Task EndStepAsync(string id, Tracked tracked, ConversationSpec spec, string articleId)
    {
        var started = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _timeline.Calls);
        if (spec.Resolves)
        {
            try
            {
                await target.ResolveAsync(id, articleId);
            }
            catch (Exception e)
            {
                Error(e);
                await LeaveStepAsync(id, tracked);
                return;
            }
            Interlocked.Increment(ref _timeline.Deflected);
            End(tracked);
            return;
        }
        Interlocked.Increment(ref _timeline.Entered); // before the call: its first offer may arrive before the answer
        lock (tracked)
        {
            tracked.CreatedAt = started;
        }
        try
        {
            await target.EscalateAsync(id);
        }
        catch (Exception e)
        {
            Error(e); // in line or not, the customer leaves: an abandon ends it either way
            Interlocked.Increment(ref _timeline.Escalated);
            await GiveUpAsync(id, tracked);
            return;
        }
        Interlocked.Increment(ref _timeline.Escalated);
        EnteredLine(id, tracked, spec, started);
    }

    /// <summary>A resolve failed: the customer leaves the step, or finds it was resolved after all (the abandon is refused).</summary>
    private async Task LeaveStepAsync(string id, Tracked tracked)
    {
        Interlocked.Increment(ref _timeline.Calls);
        try
        {
            if (await target.AbandonAsync(id))
            {
                Interlocked.Increment(ref _timeline.LeftStep);
            }
            else
            {
                Interlocked.Increment(ref _timeline.Deflected);
            }
            End(tracked);
        }
        catch (Exception e)
        {
            Error(e); // still in the step: the run's end says it did not end
        }
    }

    public void Offered(string agentId, string conversationId, string channel)
    {
        var now = Stopwatch.GetTimestamp();
        var tracked = _conversations.GetOrAdd(conversationId, _ => new Tracked());
        int offer;
        string? previous = null;
        lock (tracked)
        {
            if (tracked.Ended)
            {
                return;
            }
            if (tracked.Holder is { } holder && holder != agentId)
            {
                // The earlier offer ended without this runner hearing of it first (an accept that came too late is
                // answered after the re-offer can arrive): it no longer counts for that agent. Flagged for the record.
                tracked.Suspect = true;
                previous = holder;
            }
            tracked.Holder = agentId;
            tracked.Channel = channel;
            offer = ++tracked.Offers;
            if (tracked.FirstOfferAt is null)
            {
                tracked.FirstOfferAt = now;
                Interlocked.Increment(ref _timeline.FirstOffered);
                if (tracked.CreatedAt is { } created)
                {
                    _timeline.RecordEnqueueToOffer(Micros(created));
                }
            }
        }
        if (previous is not null)
        {
            Unhold(previous, channel);
        }
        Interlocked.Increment(ref _timeline.Offered);
        var (total, onChannel) = Hold(agentId, channel);
        if (!target.ChecksCapacity)
        {
            if (total > _maxHeld)
            {
                _violations.Enqueue($"agent {agentId} held more than its total capacity of {_maxHeld}");
            }
            if (onChannel > scenario.Capacity.GetValueOrDefault(channel))
            {
                _violations.Enqueue(
                    $"agent {agentId} held more than its {channel} capacity of {scenario.Capacity.GetValueOrDefault(channel)}"
                );
            }
        }
        _scheduler.Schedule(
            TimeSpan.FromMilliseconds(_mix.AcceptDelayMs()),
            () => AnswerAsync(agentId, conversationId, tracked, offer, now)
        );
    }

    public void OfferEnded(string agentId, string conversationId, string reason)
    {
        if (
            _conversations.TryGetValue(conversationId, out var tracked)
            && Release(tracked, agentId, connectedToo: false)
            && reason == "timed-out"
        )
        {
            Interlocked.Increment(ref _timeline.TimedOut);
        }
    }

    private async Task AnswerAsync(string agentId, string conversationId, Tracked tracked, int offer, long offeredAt)
    {
        lock (tracked)
        {
            if (tracked.Holder != agentId || tracked.Offers != offer || tracked.Ended)
            {
                return; // the offer ended meanwhile
            }
        }
        Interlocked.Increment(ref _timeline.Calls);
        if (_mix.Declines())
        {
            Release(tracked, agentId, connectedToo: false);
            Interlocked.Increment(ref _timeline.Declined);
            await Quietly(target.DeclineAsync(agentId, conversationId));
            return;
        }
        if (!await target.AcceptAsync(agentId, conversationId))
        {
            Release(tracked, agentId, connectedToo: false);
            return;
        }
        _timeline.RecordOfferToConnected(Micros(offeredAt));
        Interlocked.Increment(ref _timeline.Connected);
        double handle;
        lock (tracked)
        {
            tracked.Connected = true;
            handle = tracked.Spec?.HandleSeconds ?? scenario.HandleSecondsMean;
            if (tracked.CreatedAt is { } created && Stopwatch.GetElapsedTime(created).TotalSeconds <= scenario.ServiceLevelSeconds)
            {
                Interlocked.Increment(ref _timeline.ConnectedWithinTarget);
            }
        }
        _scheduler.Schedule(
            TimeSpan.FromSeconds(handle),
            async () =>
            {
                Release(tracked, agentId, connectedToo: true);
                Interlocked.Increment(ref _timeline.Calls);
                await target.CompleteAsync(agentId, conversationId);
                Interlocked.Increment(ref _timeline.Completed);
                End(tracked);
            }
        );
    }

    private async Task GiveUpAsync(string conversationId, Tracked tracked)
    {
        string? holder;
        bool offered;
        lock (tracked)
        {
            if (tracked.Connected || tracked.Ended)
            {
                return;
            }
            holder = tracked.Holder;
            offered = tracked.FirstOfferAt is not null;
        }
        // Counted free before the call, as the system frees the slot the moment the abandon is written and may
        // offer it again before the call returns; taken back if the customer was connected meanwhile.
        var released = holder is not null && Release(tracked, holder, connectedToo: false);
        bool abandoned;
        Interlocked.Increment(ref _timeline.Calls);
        try
        {
            abandoned = await target.AbandonAsync(conversationId);
        }
        catch (Exception e)
        {
            Error(e); // refused (a 429, say): the customer stays in line, and is served after all
            abandoned = false;
        }
        if (!abandoned)
        {
            if (released)
            {
                string channel;
                lock (tracked)
                {
                    tracked.Holder ??= holder;
                    channel = tracked.Channel;
                }
                Hold(holder!, channel);
            }
            return; // connected meanwhile, or the abandon failed
        }
        Interlocked.Increment(ref _timeline.Abandoned);
        if (!offered)
        {
            Interlocked.Increment(ref _timeline.AbandonedBeforeOffer);
        }
        lock (tracked)
        {
            if (tracked.CreatedAt is { } created && Stopwatch.GetElapsedTime(created).TotalSeconds > scenario.ServiceLevelSeconds)
            {
                Interlocked.Increment(ref _timeline.AbandonedAfterTarget);
            }
        }
        End(tracked);
    }

    /// <summary>The agent no longer holds the conversation (counted when the action starts, so the count never runs ahead of the
    /// server's).</summary>
    private bool Release(Tracked tracked, string agentId, bool connectedToo)
    {
        string channel;
        lock (tracked)
        {
            if (tracked.Holder != agentId || (tracked.Connected && !connectedToo))
            {
                return false;
            }
            tracked.Holder = null;
            channel = tracked.Channel;
        }
        Unhold(agentId, channel);
        return true;
    }

    /// <summary>Counts one more held by the agent: its totals after, over all channels and on this one.</summary>
    private (int Total, int OnChannel) Hold(string agentId, string channel) =>
        (_held.AddOrUpdate(agentId, 1, (_, n) => n + 1), _heldOn.AddOrUpdate((agentId, channel), 1, (_, n) => n + 1));

    private void Unhold(string agentId, string channel)
    {
        _held.AddOrUpdate(agentId, 0, (_, n) => n - 1);
        _heldOn.AddOrUpdate((agentId, channel), 0, (_, n) => n - 1);
    }

    private void End(Tracked tracked)
    {
        lock (tracked)
        {
            if (tracked.Ended)
            {
                return;
            }
            tracked.Ended = true;
        }
        Interlocked.Increment(ref _ended);
        CheckDrained();
    }

    private void CheckDrained()
    {
        if (!_generating && Interlocked.Read(ref _pending) == 0 && Interlocked.Read(ref _ended) >= Interlocked.Read(ref _timeline.Created))
        {
            _drained.TrySetResult();
        }
    }

    private async Task Quietly(Task call)
    {
        try
        {
            await call;
        }
        catch (Exception e)
        {
            Error(e);
        }
    }

    /// <summary>Counted; the report names each kind (up to 20 kinds) with how often it happened.</summary>
    private void Error(Exception e)
    {
        Interlocked.Increment(ref _timeline.Errors);
        var kind = e.GetType().Name + ": " + e.Message;
        if (_errors.Count < 20 || _errors.ContainsKey(kind))
        {
            _errors.AddOrUpdate(kind, 1, (_, n) => n + 1);
        }
    }

    /// <summary>What the runner knows of one conversation.</summary>
    private sealed class Tracked
    {
        public long? CreatedAt;
        public long? FirstOfferAt;
        public ConversationSpec? Spec;
        public string? Holder;
        public string Channel = "";
        public int Offers;
        public bool Connected;
        public bool Ended;
        public bool Suspect;
    }
}
